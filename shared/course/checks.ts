/**
 * Assertions for exercise tests that teach: a failure says what was given, what was expected and
 * what came back, in that order, with bytes shown as they travel (`STORED\r\n`). An unwritten part
 * of the exercise (a `todo()`) is never mistaken for the error a check expects.
 * @module
 */
import { isDeepStrictEqual, inspect } from 'node:util';
import { escapeBytes } from '../conformance/escape-bytes.ts';
import { check, type IProperty, type Parameters } from 'fast-check';
import { isTodo } from './todo.ts';

/** A check that did not hold; its message is the whole report. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

/** Shows a value the way a learner reads it: bytes escaped, bigints with their `n`. */
export function show(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes> ${escapeBytes(value, 200)}`;
  if (typeof value === 'bigint') return `${value}n`;
  return inspect(value, { depth: 4, breakLength: 100, maxArrayLength: 40, maxStringLength: 200 });
}

/** Fails with the given/expected/received report. */
export function fail(given: string, expected: string, received: string): never {
  throw new CheckFailure(`given:    ${given}\nexpected: ${expected}\nreceived: ${received}`);
}

/** `received` must deeply equal `expected`; `given` says what produced it, e.g. `expiresAt(60, 0)`. */
export function expectSame(received: unknown, expected: unknown, given: string): void {
  if (!isDeepStrictEqual(received, expected)) fail(given, show(expected), show(received));
}

/** Bytes must be exactly `expected`; the report points at the first byte that differs. */
export function expectBytes(received: Uint8Array, expected: Uint8Array, given: string): void {
  if (Buffer.compare(received, expected) === 0) return;
  let at = 0;
  while (at < received.length && at < expected.length && received[at] === expected[at]) at++;
  fail(given, show(expected), `${show(received)}\n          (first difference at byte ${at})`);
}

/** `condition` must hold; `expected` and `received` describe it when it does not. */
export function expectTrue(condition: boolean, given: string, expected: string, received: string): void {
  if (!condition) fail(given, expected, received);
}

/**
 * `run` must throw an instance of `kind`. A `todo()` is passed on untouched, so an unwritten
 * function never passes a check that expects an error.
 */
export function expectThrows(run: () => unknown, kind: new (...args: never[]) => Error, given: string): void {
  let returned: unknown;
  try {
    returned = run();
  } catch (error) {
    if (isTodo(error)) throw error;
    if (error instanceof kind) return;
    fail(given, `${article(kind.name)} ${kind.name}`, `${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message ?? String(error)}`);
  }
  fail(given, `${article(kind.name)} ${kind.name}`, `no error; it returned ${show(returned)}`);
}

/** "a" or "an", for an error's name. */
function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

/**
 * Runs a fast-check property and, when it fails, throws the failure of the *smallest* input
 * fast-check found — the check's own given/expected/received report, not fast-check's summary.
 */
export function forAll<Values>(property: IProperty<Values>, params: Parameters<Values>): void {
  const details = check(property, params);
  if (!details.failed) return;
  if (details.errorInstance instanceof Error) throw details.errorInstance;
  fail(`the input ${show(details.counterexample)} (seed ${details.seed})`, 'the property to hold', String(details.errorInstance));
}
