/**
 * The assertion every error test makes: the call throws a ConfigError with this code, option and
 * source, and a message on one line that matches.
 */
import assert from 'node:assert/strict';
import { ConfigError, type ConfigErrorCode } from '../config-error.ts';

/** What the error must say. */
export interface ExpectedError {
  readonly code: ConfigErrorCode;
  readonly option: string;
  readonly source: string;
  readonly message: RegExp;
}

/** Runs `call` and checks the ConfigError it throws; returns it for further checks. */
export function expectConfigError(call: () => unknown, expected: ExpectedError): ConfigError {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
  assert.equal(thrown.code, expected.code, thrown.message);
  assert.equal(thrown.option, expected.option, thrown.message);
  assert.equal(thrown.source, expected.source, thrown.message);
  assert.match(thrown.message, expected.message);
  assert.ok(!thrown.message.includes('\n'), `one line: ${JSON.stringify(thrown.message)}`);
  return thrown;
}
