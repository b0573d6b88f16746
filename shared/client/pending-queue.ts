/**
 * The requests in flight on one connection, oldest first: a growable ring buffer of parallel
 * arrays (reply shape, reply tag, listener, deadline), so queuing a request allocates nothing once
 * the ring has grown to the pipeline's depth. Replies arrive in request order, so only the head is
 * answered.
 * @module
 */
import type { ReplyShape } from './reply.ts';
import type { ReplyListener } from './reply-listener.ts';

/** Where the ring starts; it doubles whenever it fills. */
const INITIAL_CAPACITY = 16;

/** A FIFO of requests awaiting replies. */
export class PendingQueue {
  private shapes = new Uint8Array(INITIAL_CAPACITY);
  /** The tag each reply must carry back (the binary protocol's opaque; 0 for text). */
  private tags = new Uint32Array(INITIAL_CAPACITY);
  private listeners: (ReplyListener | undefined)[] = new Array<ReplyListener | undefined>(INITIAL_CAPACITY);
  /** `performance.now()` time after which the request has timed out (Infinity: never). */
  private deadlines = new Float64Array(INITIAL_CAPACITY);
  private head = 0;
  private count = 0;

  /** How many requests are waiting. */
  get length(): number {
    return this.count;
  }

  /** Appends a request. */
  push(shape: ReplyShape, tag: number, listener: ReplyListener, deadline: number): void {
    if (this.count === this.shapes.length) this.grow();
    const slot = (this.head + this.count) % this.shapes.length;
    this.shapes[slot] = shape;
    this.tags[slot] = tag;
    this.listeners[slot] = listener;
    this.deadlines[slot] = deadline;
    this.count++;
  }

  /** The reply shape of the oldest request, or undefined when the queue is empty. */
  peekShape(): ReplyShape | undefined {
    return this.count === 0 ? undefined : (this.shapes[this.head] as ReplyShape);
  }

  /** The reply tag of the oldest request, or undefined when the queue is empty. */
  peekTag(): number | undefined {
    return this.count === 0 ? undefined : this.tags[this.head];
  }

  /** Removes the oldest request and returns its listener. Call only when `length > 0`. */
  shift(): ReplyListener {
    const listener = this.listeners[this.head]!;
    this.listeners[this.head] = undefined;
    this.head = (this.head + 1) % this.shapes.length;
    this.count--;
    return listener;
  }

  /** The deadline of the oldest request (Infinity when the queue is empty or it has none). */
  peekDeadline(): number {
    return this.count === 0 ? Infinity : this.deadlines[this.head]!;
  }

  /** The earliest deadline among the waiting requests (Infinity when none has one). */
  earliestDeadline(): number {
    let earliest = Infinity;
    for (let i = 0; i < this.count; i++) {
      const deadline = this.deadlines[(this.head + i) % this.deadlines.length]!;
      if (deadline < earliest) earliest = deadline;
    }
    return earliest;
  }

  private grow(): void {
    const capacity = this.shapes.length * 2;
    const shapes = new Uint8Array(capacity);
    const tags = new Uint32Array(capacity);
    const listeners = new Array<ReplyListener | undefined>(capacity);
    const deadlines = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.shapes.length;
      shapes[i] = this.shapes[from]!;
      tags[i] = this.tags[from]!;
      listeners[i] = this.listeners[from];
      deadlines[i] = this.deadlines[from]!;
    }
    this.shapes = shapes;
    this.tags = tags;
    this.listeners = listeners;
    this.deadlines = deadlines;
    this.head = 0;
  }
}
