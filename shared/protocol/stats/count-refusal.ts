/**
 * memcached counts a refused store in its text protocol code (store_too_large, store_no_memory),
 * for the classic storage commands and ms alike, and not in its binary protocol: the text
 * executors call this with every storage result.
 * @module
 */
import { StoreResult } from '../../store/store.ts';
import type { ServerInfo } from '../server-info.ts';

/** Counts a text storage command refused for its size or for want of memory. */
export function countRefusal(result: StoreResult, server: ServerInfo): void {
  if (result === StoreResult.TooLarge) server.count('store_too_large');
  else if (result === StoreResult.NoMemory) server.count('store_no_memory');
}
