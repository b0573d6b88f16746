/**
 * Checks for the shutdown-sequence exercise, against a listener and connections that record what
 * was asked of them: stop accepting before draining, wait no longer than the last close or the
 * deadline, force and count what is left, close resources last and in order, clear the timer.
 */
import { describe, test } from 'node:test';
import { loadExercise } from '../../shared/course/load-exercise.ts';
import { expectSame, expectTrue, fail, show } from '../../shared/course/checks.ts';
import type { Drainable, Listening, Resource } from '../../shared/runtime/shutdown-parts.ts';

const { shutdownSequence } = await loadExercise<typeof import('./shutdown-sequence.ts')>(import.meta.url);

const T = { timeout: 10_000 };
/** Longer than any correct sequence here needs, far shorter than the test's timeout. */
const PATIENCE_MS = 2_000;
/** A deadline no check should reach unless the sequence waits for it wrongly. */
const FAR_DEADLINE_MS = 60_000;

/** A server's parts that write down, in order, what the sequence asked of them. */
class Recording {
  readonly events: string[] = [];
  readonly sockets = new Set<string>();
  readonly connections = new Set<Drainable>();
  private readonly byName = new Map<string, Drainable>();
  private allClosed: (() => void) | null = null;
  readonly listener: Listening = {
    sockets: this.sockets,
    stopAccepting: () => {
      this.events.push('stopAccepting');
      return new Promise<void>((resolve) => {
        this.allClosed = resolve;
        this.settle();
      });
    },
    destroyConnections: () => {
      this.events.push('destroyConnections');
      // As with a real socket, 'close' comes a turn of the loop after destroy().
      for (const name of [...this.sockets]) setImmediate(() => this.closeSocket(name, 'destroyed'));
    },
  };

  /** `count` connections; the first `stuck` never finish draining (a client that does not read). */
  constructor(count: number, stuck = 0) {
    for (let i = 1; i <= count; i++) {
      const name = `c${i}`;
      this.sockets.add(name);
      const connection: Drainable = {
        drain: () => {
          this.events.push(`drain ${name}`);
          // A real connection writes its last replies, then closes a turn of the loop later.
          if (i > stuck) setImmediate(() => this.closeSocket(name, 'closed'));
        },
      };
      this.connections.add(connection);
      this.byName.set(name, connection);
    }
  }

  /** A resource that records when its close starts and ends, and takes a turn of the loop. */
  resource(name: string): Resource {
    return {
      close: () => {
        this.events.push(`close ${name}`);
        return new Promise<void>((resolve) => setImmediate(() => {
          this.events.push(`closed ${name}`);
          resolve();
        }));
      },
    };
  }

  /** A socket's close, as the listener and the registry of connections both see it. */
  private closeSocket(name: string, how: string): void {
    if (!this.sockets.delete(name)) return;
    this.connections.delete(this.byName.get(name)!);
    this.events.push(`${how} ${name}`);
    this.settle();
  }

  private settle(): void {
    if (this.sockets.size === 0 && this.allClosed) {
      this.events.push('all closed');
      this.allClosed();
    }
  }
}

/** Awaits `promise`, failing with a report (not a test timeout) when it takes longer than PATIENCE_MS. */
async function within<T>(promise: Promise<T>, given: string, expected: string, events: readonly string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(resolve, PATIENCE_MS, 'late');
  });
  try {
    const outcome = await Promise.race([promise, late]);
    if (outcome === 'late') fail(given, expected, `still waiting after ${PATIENCE_MS} ms; so far: ${show(events)}`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

describe('shutdown-sequence', () => {
  test('it stops accepting first, then asks every connection to drain', T, async () => {
    const server = new Recording(3);
    const given = `shutdownSequence(listener, 3 connections, [], ${FAR_DEADLINE_MS})`;
    await within(shutdownSequence(server.listener, server.connections, [], FAR_DEADLINE_MS), given, 'it resolves once the 3 have closed', server.events);
    expectSame(server.events.slice(0, 4), ['stopAccepting', 'drain c1', 'drain c2', 'drain c3'], `${given}: the first four calls`);
  });

  test('when every connection drains, it resolves at the last close, not at the deadline', T, async () => {
    const server = new Recording(2);
    const given = `shutdownSequence(listener, 2 connections that close a moment after drain(), [], ${FAR_DEADLINE_MS})`;
    const summary = await within(shutdownSequence(server.listener, server.connections, [], FAR_DEADLINE_MS), given,
      'it resolves as soon as both have closed', server.events);
    expectSame({ drained: summary.drained, forced: summary.forced }, { drained: 2, forced: 0 }, `${given}: drained and forced`);
    expectTrue(!server.events.includes('destroyConnections'), given, 'no connection destroyed: both drained', show(server.events));
    expectTrue(summary.milliseconds >= 0 && summary.milliseconds < PATIENCE_MS, given, 'milliseconds: the time the sequence took',
      show(summary.milliseconds));
  });

  test('at the deadline, it destroys what is still open, counts it as forced, and waits for it to close', T, async () => {
    const server = new Recording(3, 1);
    const timeoutMs = 50;
    const given = `shutdownSequence(listener, 3 connections of which c1 never finishes draining, [], ${timeoutMs})`;
    const started = Date.now();
    const summary = await within(shutdownSequence(server.listener, server.connections, [], timeoutMs), given,
      `it forces c1 after ${timeoutMs} ms and resolves`, server.events);
    expectSame({ drained: summary.drained, forced: summary.forced }, { drained: 2, forced: 1 }, `${given}: drained and forced`);
    expectTrue(Date.now() - started >= timeoutMs - 5, given, `it waits the ${timeoutMs} ms before forcing`, `it resolved after ${Date.now() - started} ms`);
    const destroyed = server.events.indexOf('destroyConnections');
    expectTrue(destroyed > server.events.indexOf('closed c3'), given, 'destroyConnections() only after the others had their chance to drain',
      show(server.events));
    expectTrue(server.events.at(-1) === 'all closed', given, 'it resolves only once the forced connection has closed', show(server.events));
  });

  test('resources close after every connection, one after another, in the order given', T, async () => {
    const server = new Recording(2);
    const resources = [server.resource('workers'), server.resource('metrics')];
    const given = `shutdownSequence(listener, 2 connections, [workers, metrics], ${FAR_DEADLINE_MS})`;
    await within(shutdownSequence(server.listener, server.connections, resources, FAR_DEADLINE_MS), given, 'it resolves', server.events);
    const after = server.events.slice(server.events.indexOf('all closed'));
    expectSame(after, ['all closed', 'close workers', 'closed workers', 'close metrics', 'closed metrics'], `${given}: the calls from the last close on`);
  });

  test('with no connection open, it stops accepting, closes the resources and reports nothing drained', T, async () => {
    const server = new Recording(0);
    const given = `shutdownSequence(listener, no connections, [workers], ${FAR_DEADLINE_MS})`;
    const summary = await within(shutdownSequence(server.listener, server.connections, [server.resource('workers')], FAR_DEADLINE_MS),
      given, 'it resolves at once', server.events);
    expectSame({ drained: summary.drained, forced: summary.forced }, { drained: 0, forced: 0 }, `${given}: drained and forced`);
    expectSame(server.events, ['stopAccepting', 'all closed', 'close workers', 'closed workers'], `${given}: the calls`);
  });

  test('it clears the deadline timer, so a server that drained can exit at once', T, async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const server = new Recording(1);
    const before = timers();
    const given = `shutdownSequence(listener, 1 connection, [], ${FAR_DEADLINE_MS})`;
    await within(shutdownSequence(server.listener, server.connections, [], FAR_DEADLINE_MS), given, 'it resolves', server.events);
    const after = timers();
    expectTrue(after <= before, given, `no timer left running (${before} before the call)`,
      `${after} timers: the ${FAR_DEADLINE_MS} ms deadline would keep the process alive for a minute`);
  });
});
