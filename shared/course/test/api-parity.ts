/**
 * A check the type checker runs (`npm run typecheck`): each stub exports what the module it stands
 * in for exports, with the same types — the capstone swaps one for the other, so a real module
 * that gains, loses or changes an export must take its stub along. Classes are compared by their
 * constructor and public members (TypeScript's private members would make any two classes differ).
 */
import type * as ExptimeStub from '../../../exercises/phase1/exptime.ts';
import type * as Exptime from '../../store/exptime.ts';
import type * as CounterValueStub from '../../../exercises/phase1/counter-value.ts';
import type * as CounterValue from '../../store/counter-value.ts';
import type * as TextTokensStub from '../../../exercises/phase1/text-tokens.ts';
import type * as TextTokens from '../../protocol/text/text-tokens.ts';
import type * as AtomicsLockStub from '../../../exercises/phase1/atomics-lock.ts';
import type * as AtomicsLock from '../../store/atomics-lock.ts';
import type * as WorkerPoolStub from '../../../exercises/phase1/worker-pool.ts';
import type * as WorkerPool from '../../../phases/phase1/worker-pool.ts';
import type * as RingRecordsStub from '../../../exercises/phase2/ring-records.ts';
import type * as RingRecords from '../../../phases/phase2/ring-records.ts';
import type * as BinaryReplyStub from '../../../exercises/phase2/binary-reply.ts';
import type * as BinaryReply from '../../protocol/binary/binary-reply.ts';
import type * as RingBufferStub from '../../../exercises/phase2/ring-buffer.ts';
import type * as RingBuffer from '../../../phases/phase2/ring/ring-buffer.ts';
import type * as EventConnectionStub from '../../../exercises/phase2/event-connection.ts';
import type * as EventConnection from '../../../phases/phase2/event-connection.ts';
import type * as BucketIndexStub from '../../../exercises/phase3/bucket-index.ts';
import type * as BucketIndex from '../../../phases/phase3/metrics/bucket-index.ts';
import type * as HistogramExpositionStub from '../../../exercises/phase3/histogram-exposition.ts';
import type * as HistogramExposition from '../../../phases/phase3/metrics/histogram-exposition.ts';
import type * as ConfigPrecedenceStub from '../../../exercises/phase3/config-precedence.ts';
import type * as ConfigPrecedence from '../../../phases/phase3/config/precedence.ts';
import type * as ShutdownSequenceStub from '../../../exercises/phase3/shutdown-sequence.ts';
import type * as SaslPlainStub from '../../../exercises/phase4/sasl-plain.ts';
import type * as SaslPlain from '../../../phases/phase4/auth/sasl-plain.ts';
import type * as RecordReaderStub from '../../../exercises/phase4/record-reader.ts';
import type * as RecordReader from '../../../phases/phase4/persistence/record-reader.ts';
import type * as SlabClassesStub from '../../../exercises/phase4/slab-classes.ts';
import type * as SlabClasses from '../../../phases/phase4/slab/slab-classes.ts';
import type * as ShutdownSequence from '../../runtime/shutdown-sequence.ts';
import type * as TokenBucketStub from '../../../exercises/phase4/token-bucket.ts';
import type * as TokenBucket from '../../../phases/phase4/edge/token-bucket.ts';

/** Static members, with methods reduced to their parameters (a `start()` returns its own class). */
type Statics<C> = { [K in keyof C as K extends 'prototype' ? never : K]: C[K] extends (...args: infer A) => unknown ? A : C[K] };

/** A class as seen from outside: what `new` takes (if it is public), its statics, its public members. */
type PublicClass<C extends { prototype: unknown }> = {
  new: C extends abstract new (...args: infer A) => unknown ? A : 'private constructor';
  statics: Statics<C>;
  members: { [K in keyof C['prototype']]: C['prototype'][K] };
};

/** A module's exports, classes reduced to their public shape (functions are callable, classes are not). */
type Surface<M> = {
  [K in keyof M]: M[K] extends (...args: never[]) => unknown ? M[K] : M[K] extends { prototype: unknown } ? PublicClass<M[K]> : M[K];
};

/** True only when A and B are assignable both ways. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Each line fails to compile when a stub and its module part ways. */
export const API_PARITY: Record<string, true> = {
  exptime: true satisfies Same<Surface<typeof ExptimeStub>, Surface<typeof Exptime>>,
  'counter-value': true satisfies Same<Surface<typeof CounterValueStub>, Surface<typeof CounterValue>>,
  'text-tokens': true satisfies Same<Surface<typeof TextTokensStub>, Surface<typeof TextTokens>>,
  'atomics-lock': true satisfies Same<Surface<typeof AtomicsLockStub>, Surface<typeof AtomicsLock>>,
  'worker-pool': true satisfies Same<Surface<typeof WorkerPoolStub>, Surface<typeof WorkerPool>>,
  'ring-records': true satisfies Same<Surface<typeof RingRecordsStub>, Surface<typeof RingRecords>>,
  'binary-reply': true satisfies Same<Surface<typeof BinaryReplyStub>, Surface<typeof BinaryReply>>,
  'ring-buffer': true satisfies Same<Surface<typeof RingBufferStub>, Surface<typeof RingBuffer>>,
  'event-connection': true satisfies Same<Surface<typeof EventConnectionStub>, Surface<typeof EventConnection>>,
  'bucket-index': true satisfies Same<Surface<typeof BucketIndexStub>, Surface<typeof BucketIndex>>,
  'histogram-exposition': true satisfies Same<Surface<typeof HistogramExpositionStub>, Surface<typeof HistogramExposition>>,
  'config-precedence': true satisfies Same<Surface<typeof ConfigPrecedenceStub>, Surface<typeof ConfigPrecedence>>,
  'shutdown-sequence': true satisfies Same<Surface<typeof ShutdownSequenceStub>, Surface<typeof ShutdownSequence>>,
  'token-bucket': true satisfies Same<Surface<typeof TokenBucketStub>, Surface<typeof TokenBucket>>,
  'sasl-plain': true satisfies Same<Surface<typeof SaslPlainStub>, Surface<typeof SaslPlain>>,
  'record-reader': true satisfies Same<Surface<typeof RecordReaderStub>, Surface<typeof RecordReader>>,
  'slab-classes': true satisfies Same<Surface<typeof SlabClassesStub>, Surface<typeof SlabClasses>>,
};
