/**
 * Executes text-protocol commands against a {@link Store} and writes memcached's replies into a
 * {@link TextReply}. It sees validated commands, never raw bytes, and never touches a socket: the
 * same function runs inline on an event loop or inside a worker thread.
 * @module
 */
import type { Store } from '../../store/store.ts';
import { ArithResult, StoreResult } from '../../store/store.ts';
import { ERRORS, ErrorAction, type ErrorCode } from '../errors.ts';
import type { ServerInfo } from '../server-info.ts';
import { answerStats } from '../stats/stats-groups.ts';
import { countRefusal } from '../stats/count-refusal.ts';
import { After } from '../after.ts';
import type { TextCommand } from './text-command.ts';
import { Status, type TextReply } from './text-reply.ts';
import { executeMeta } from './meta-executor.ts';
import { executeRefreshCerts } from './refresh-certs.ts';
import { executeMemoryAdmin } from './memory-admin.ts';
import type { TextHits } from './text-hit.ts';

/** The store's reply for each storage result. */
const STORE_REPLIES: Record<StoreResult, (out: TextReply) => void> = {
  [StoreResult.Stored]: (out) => out.status(Status.STORED),
  [StoreResult.NotStored]: (out) => out.status(Status.NOT_STORED),
  [StoreResult.Exists]: (out) => out.status(Status.EXISTS),
  [StoreResult.NotFound]: (out) => out.status(Status.NOT_FOUND),
  [StoreResult.TooLarge]: (out) => out.error('TOO_LARGE'),
  [StoreResult.NoMemory]: (out) => out.error('NO_MEMORY'),
};

/** Appends an error from the catalogue; the connection carries on. */
function errorReply(out: TextReply, code: ErrorCode): After {
  out.error(code);
  return After.Continue;
}

/**
 * Runs one command and appends its reply (nothing when the command said `noreply`).
 * Returns whether the connection stays open. With `hits` (`out`'s fast-path writer), get and gets
 * against a store that offers `getInto` are answered from the store's memory (text-hit.ts); the
 * bytes sent are the same either way.
 */
export function executeText(command: TextCommand, store: Store, server: ServerInfo, out: TextReply, hits?: TextHits): After {
  switch (command.kind) {
    case 'retrieval': {
      const withCas = command.name === 'gets' || command.name === 'gats';
      const touch = command.name === 'gat' || command.name === 'gats';
      const detail = server.detail.enabled ? server.detail : undefined;
      const keys = command.keys;
      // Whether the last key's reply already ends with END (the fast path puts it in the same buffer).
      let ended = false;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        let found: boolean;
        if (!touch && hits !== undefined && store.getInto !== undefined) {
          // The fast path: a hit's VALUE reply is written from the store's memory, with no Item between.
          found = store.getInto(key, hits.sink(key, withCas, i === keys.length - 1));
          ended = hits.ended;
        } else {
          const item = touch ? store.getAndTouch(key, command.exptime) : store.get(key);
          if (item !== undefined) out.value(item, withCas);
          found = item !== undefined;
        }
        detail?.recordGet(key, found);
      }
      if (!ended) out.status(Status.END);
      return After.Continue;
    }
    case 'storage': {
      // memcached records the set before it tries to store, so refused ones count too.
      if (server.detail.enabled) server.detail.recordSet(command.key);
      if (command.tooLarge) {
        store.refuseTooLarge(command.name, command.key);
        server.count('store_too_large');
        if (!command.noreply) out.error('TOO_LARGE');
        return After.Continue;
      }
      const { result } = store.store(command.name, command.key, command.flags, command.exptime, command.data, command.casUnique);
      countRefusal(result, server);
      if (!command.noreply) STORE_REPLIES[result](out);
      return After.Continue;
    }
    case 'delete': {
      if (server.detail.enabled) server.detail.recordDelete(command.key);
      const deleted = store.delete(command.key);
      if (!command.noreply) out.status(deleted ? Status.DELETED : Status.NOT_FOUND);
      return After.Continue;
    }
    case 'arith': {
      const outcome = store.incrDecr(command.key, command.name === 'incr', command.delta);
      if (command.noreply) return After.Continue;
      switch (outcome.result) {
        case ArithResult.Ok: out.number(outcome.value); break;
        case ArithResult.NotFound: out.status(Status.NOT_FOUND); break;
        case ArithResult.NonNumeric: out.error('NON_NUMERIC'); break;
        case ArithResult.NoMemory: out.error('NO_MEMORY'); break;
        // The text protocol's incr takes no CAS, so the store never answers EXISTS to it.
        case ArithResult.Exists: out.status(Status.EXISTS); break;
      }
      return After.Continue;
    }
    case 'touch': {
      const touched = store.touch(command.key, command.exptime);
      if (!command.noreply) out.status(touched ? Status.TOUCHED : Status.NOT_FOUND);
      return After.Continue;
    }
    case 'flush_all':
      store.flushAll(command.delay);
      if (!command.noreply) out.status(Status.OK);
      return After.Continue;
    case 'version':
      out.version(server.version);
      return After.Continue;
    case 'verbosity':
      server.setVerbosity(command.level);
      if (!command.noreply) out.status(Status.OK);
      return After.Continue;
    case 'stats':
      return stats(command.group, command.arg, store, server, out);
    case 'quit':
      return After.Close;
    case 'shutdown':
      // memcached: refused in any form unless enabled (-A); then a bad mode is a client error; a
      // shutdown closes the asking connection without a reply.
      if (!server.shutdownEnabled) return errorReply(out, 'SHUTDOWN_DISABLED');
      if (command.mode === 'invalid') return errorReply(out, 'BAD_SHUTDOWN_MODE');
      server.shutdown(command.mode === 'graceful');
      return After.Close;
    case 'refresh_certs':
      return executeRefreshCerts(command, server, out);
    case 'memory-admin':
      return executeMemoryAdmin(command, store, out);
    case 'meta':
      // memcached 1.6.18's cmd_meta counts `me` alone; mg, ms, md and ma count as gets, sets, ….
      if (command.name === 'me') server.count('cmd_meta');
      return executeMeta(command, store, out, server);
    case 'error': {
      const action = ERRORS[command.code].action;
      if (!command.noreply && action !== ErrorAction.Close) out.error(command.code);
      return action === ErrorAction.Reply ? After.Continue : After.Close;
    }
  }
}

/** `stats [group [word]]`: the group's lines then END, a one-word reply, the detail dump, or an error. */
function stats(group: string, arg: string | undefined, store: Store, server: ServerInfo, out: TextReply): After {
  const answer = answerStats(arg === undefined ? { group } : { group, arg }, store, server);
  switch (answer.kind) {
    case 'stats':
      for (const [name, value] of answer.stats) out.stat(name, value);
      out.status(Status.END);
      break;
    case 'done':
      out.status(Status[answer.word]);
      break;
    case 'dump':
      out.raw(Buffer.from(answer.text, 'latin1'));
      break;
    case 'error':
      out.error(answer.code);
      break;
  }
  return After.Continue;
}
