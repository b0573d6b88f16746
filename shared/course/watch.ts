/**
 * Notices saved files under a folder. File-system events (fs.watch, recursive) are immediate and
 * cost nothing while idle; where they are not available — some network and container file
 * systems, a full inotify table — or when asked, it polls: every half second it compares each
 * `.ts` file's size and modification time with what it saw before.
 * @module
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** How often polling looks: a save shows up within half a second, at a negligible cost. */
export const POLL_INTERVAL_MS = 500;

/** A running watcher. */
export interface Watcher {
  /** How it watches: `events`, or `polling` (asked for, or events were not available). */
  readonly mode: 'events' | 'polling';
  /** Stops watching. */
  close(): void;
}

/** Every `.ts` file under `folder` with its size and mtime, as one comparable string. */
function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) {
        const stat = statSync(path, { throwIfNoEntry: false });
        if (stat) files.set(path, `${stat.size}:${stat.mtimeMs}`);
      }
    }
  };
  visit(folder);
  return files;
}

function poll(folder: string, onChange: (file: string) => void, intervalMs: number): Watcher {
  let seen = snapshot(folder);
  const timer = setInterval(() => {
    const now = snapshot(folder);
    for (const [file, stamp] of now) if (seen.get(file) !== stamp) onChange(file);
    for (const file of seen.keys()) if (!now.has(file)) onChange(file);
    seen = now;
  }, intervalMs);
  return { mode: 'polling', close: () => clearInterval(timer) };
}

/**
 * Calls `onChange(path)` when a `.ts` file under `folder` is saved, created or removed. Several
 * calls may come for one save (editors write, then rename): debounce in the caller.
 */
export function watchFolder(folder: string, onChange: (file: string) => void, options: { poll?: boolean; intervalMs?: number } = {}): Watcher {
  const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  if (options.poll) return poll(folder, onChange, intervalMs);
  let watcher: FSWatcher;
  try {
    watcher = watch(folder, { recursive: true }, (_event, name) => {
      if (name?.endsWith('.ts')) onChange(join(folder, name));
    });
  } catch {
    return poll(folder, onChange, intervalMs);
  }
  // Events can also fail later (the watched folder's file system goes away): poll from then on.
  let fallback: Watcher | null = null;
  watcher.on('error', () => {
    watcher.close();
    fallback ??= poll(folder, onChange, intervalMs);
  });
  return {
    mode: 'events',
    close: () => {
      watcher.close();
      fallback?.close();
    },
  };
}
