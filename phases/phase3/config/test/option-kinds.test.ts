/** The option table itself: every default is a value its own schema accepts, and writes back the same. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { envName } from '../env-source.ts';
import { PHASE3_OPTIONS, type OptionTable } from '../phase3-options.ts';

const T = { timeout: 10_000 };
const TABLE: OptionTable = PHASE3_OPTIONS;

describe('the option table', () => {
  test('every default passes its schema, and what --print-config writes of it reads back', T, () => {
    for (const [name, definition] of Object.entries(TABLE)) {
      assert.deepEqual(definition.schema.parse(definition.default), definition.default, name);
      assert.deepEqual(definition.schema.parse(definition.show(definition.default)), definition.default, name);
    }
  });

  test('only log-level and slow-ms change live', T, () => {
    assert.deepEqual(Object.keys(TABLE).filter((name) => TABLE[name]!.live === true), ['log-level', 'slow-ms']);
  });

  test('every option says what it is and what it allows', T, () => {
    for (const [name, definition] of Object.entries(TABLE)) {
      assert.ok(definition.description.length > 10, name);
      assert.ok(definition.allowed.length > 3, name);
    }
  });

  test('variable names: upper case, dashes as underscores', T, () => {
    assert.equal(envName('memory-mb'), 'KVLAB_MEMORY_MB');
    assert.equal(envName('port'), 'KVLAB_PORT');
  });
});
