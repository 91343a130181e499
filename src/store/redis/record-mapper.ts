/** Stored record (+ results and errors) → the TaskRecord the API and the client see. */
import type { TaskRecord } from '../../domain/task.js';
import type { ClaimedTask } from '../../ports/task-store.js';
import { bytesToId } from '../../domain/ids.js';
import {
  checkFormat,
  HEADER,
  decodeBody,
  decodeErrors,
  decodeHeader,
  FLAG_CANCEL_REQUESTED,
  FLAG_DEAD_LETTER,
  FLAG_STALL_ON_EXPIRY,
  unpack,
} from './record-codec.js';

const orNull = (t: number) => (t > 0 ? t : null);

export function toTaskRecord(
  id: string,
  queue: string,
  blob: Buffer,
  results: Buffer | null,
  errors: Buffer | null,
  leaseDeadline: number | null,
): TaskRecord {
  const h = decodeHeader(blob);
  const b = decodeBody(blob);
  return {
    id,
    queue,
    name: b.name,
    version: b.version,
    parameters: b.parameters,
    status: h.status,
    retryAttempt: h.retryAttempt,
    maxRetries: h.maxRetries,
    starts: h.starts,
    createdAt: orNull(h.createdAt),
    submittedAt: orNull(h.submittedAt),
    startedAt: orNull(h.startedAt),
    attemptStartedAt: orNull(h.attemptStartedAt),
    completedAt: orNull(h.completedAt),
    heartbeatAt: orNull(h.heartbeatAt),
    runAt: h.status === 'scheduled' ? orNull(h.runAt) : null,
    leaseExpiresAt: h.status === 'started' ? leaseDeadline : null,
    cancelRequested: (h.flags & FLAG_CANCEL_REQUESTED) !== 0,
    deadLetterPolicy: (h.flags & FLAG_DEAD_LETTER) !== 0 ? 'save' : 'none',
    leaseExpiryPolicy: (h.flags & FLAG_STALL_ON_EXPIRY) !== 0 ? 'stall' : 'requeue',
    results: results && results.length > 0 ? unpack(results) : null,
    errors: decodeErrors(errors),
    traceparent: b.traceparent,
  };
}

/** A freshly claimed record → what the worker runs. Reads only the header fields it needs (hot path). */
export function toClaimedTask(idBytes: Buffer, queue: string, blob: Buffer): ClaimedTask {
  checkFormat(blob);
  const b = decodeBody(blob);
  return {
    id: bytesToId(idBytes),
    queue,
    name: b.name,
    version: b.version,
    parameters: b.parameters,
    retryAttempt: blob.readUInt16BE(HEADER.retryAttempt),
    maxRetries: blob.readUInt16BE(HEADER.maxRetries),
    starts: blob.readUInt16BE(HEADER.starts),
    submittedAt: blob.readDoubleBE(HEADER.submittedAt),
    createdAt: blob.readDoubleBE(HEADER.createdAt),
    attemptStartedAt: blob.readDoubleBE(HEADER.attemptStartedAt),
    traceparent: b.traceparent,
    deadLetter: (blob.readUInt8(HEADER.flags) & FLAG_DEAD_LETTER) !== 0,
  };
}
