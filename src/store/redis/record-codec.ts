/**
 * The stored task record: a fixed 70-byte header followed by a msgpack body.
 *
 * Everything a state transition changes lives in the header at fixed offsets, so the Lua scripts
 * rewrite it with `struct.pack` and never decode or re-encode the body (Lua's msgpack is lossy and
 * hashing long strings is the main cost inside Redis). The body — name, version, parameters,
 * traceparent — is written once at submission. The layout is mirrored in lua/_lib.lua.
 *
 *   off size field
 *   0   1    format (=1)            1  1  status code        2  1  flags     3  1  reserved
 *   4   2    retry_attempt          6  2  max_retries        8  2  starts (lease fencing counter)
 *   10  4    owner (worker token of the current lease)
 *   14  8×7  created_at, submitted_at, started_at, attempt_started_at, completed_at,
 *            heartbeat_at, run_at   (epoch ms as doubles; 0 = unset)
 */
import { Packr, Unpackr } from 'msgpackr';
import { STATUS_CODE, statusFromCode, type TaskStatus } from '../../domain/status.js';
import { writeIdBytes } from '../../domain/ids.js';
import type { AttemptError, JsonObject, NewTask } from '../../domain/task.js';

export const HEADER_SIZE = 70;
const FORMAT = 1;

export const FLAG_STALL_ON_EXPIRY = 1;
export const FLAG_DEAD_LETTER = 2;
export const FLAG_CANCEL_REQUESTED = 4;

export interface RecordHeader {
  status: TaskStatus;
  flags: number;
  retryAttempt: number;
  maxRetries: number;
  starts: number;
  owner: number;
  createdAt: number;
  submittedAt: number;
  startedAt: number;
  attemptStartedAt: number;
  completedAt: number;
  heartbeatAt: number;
  runAt: number;
}

export interface RecordBody {
  name: string;
  version: number;
  parameters: JsonObject;
  traceparent: string | null;
}

// useRecords:false keeps plain maps/arrays (readable by any msgpack decoder, including Lua's).
const packr = new Packr({ useRecords: false, moreTypes: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export function pack(value: unknown): Buffer {
  return packr.pack(value);
}

export function unpack(buf: Uint8Array): unknown {
  return unpackr.unpack(buf);
}

export function unpackAll(buf: Uint8Array): unknown[] {
  return unpackr.unpackMultiple(buf) as unknown[];
}

/** Byte offsets of the header fields (the layout in the comment at the top). */
export const HEADER = {
  format: 0,
  status: 1,
  flags: 2,
  retryAttempt: 4,
  maxRetries: 6,
  starts: 8,
  owner: 10,
  createdAt: 14,
  submittedAt: 22,
  startedAt: 30,
  attemptStartedAt: 38,
  completedAt: 46,
  heartbeatAt: 54,
  runAt: 62,
} as const;

/** Writes a header into the first HEADER_SIZE bytes of `b`. */
function writeHeader(b: Buffer, h: RecordHeader): void {
  b.writeUInt8(FORMAT, HEADER.format);
  b.writeUInt8(STATUS_CODE[h.status], HEADER.status);
  b.writeUInt8(h.flags, HEADER.flags);
  b.writeUInt8(0, 3);
  b.writeUInt16BE(h.retryAttempt, HEADER.retryAttempt);
  b.writeUInt16BE(h.maxRetries, HEADER.maxRetries);
  b.writeUInt16BE(h.starts, HEADER.starts);
  b.writeUInt32BE(h.owner >>> 0, HEADER.owner);
  b.writeDoubleBE(h.createdAt, HEADER.createdAt);
  b.writeDoubleBE(h.submittedAt, HEADER.submittedAt);
  b.writeDoubleBE(h.startedAt, HEADER.startedAt);
  b.writeDoubleBE(h.attemptStartedAt, HEADER.attemptStartedAt);
  b.writeDoubleBE(h.completedAt, HEADER.completedAt);
  b.writeDoubleBE(h.heartbeatAt, HEADER.heartbeatAt);
  b.writeDoubleBE(h.runAt, HEADER.runAt);
}

/** Throws when `buf` is not a record this version can read. */
export function checkFormat(buf: Buffer): void {
  if (buf.length < HEADER_SIZE || buf.readUInt8(HEADER.format) !== FORMAT) {
    throw new Error(`Stored task record has an unknown format (length ${buf.length}, format ${buf[0]})`);
  }
}

export function decodeHeader(buf: Buffer): RecordHeader {
  checkFormat(buf);
  return {
    status: statusFromCode(buf.readUInt8(HEADER.status)),
    flags: buf.readUInt8(HEADER.flags),
    retryAttempt: buf.readUInt16BE(HEADER.retryAttempt),
    maxRetries: buf.readUInt16BE(HEADER.maxRetries),
    starts: buf.readUInt16BE(HEADER.starts),
    owner: buf.readUInt32BE(HEADER.owner),
    createdAt: buf.readDoubleBE(HEADER.createdAt),
    submittedAt: buf.readDoubleBE(HEADER.submittedAt),
    startedAt: buf.readDoubleBE(HEADER.startedAt),
    attemptStartedAt: buf.readDoubleBE(HEADER.attemptStartedAt),
    completedAt: buf.readDoubleBE(HEADER.completedAt),
    heartbeatAt: buf.readDoubleBE(HEADER.heartbeatAt),
    runAt: buf.readDoubleBE(HEADER.runAt),
  };
}

export function encodeBody(body: RecordBody): Buffer {
  return pack([body.name, body.version, body.parameters, body.traceparent]);
}

export function decodeBody(buf: Buffer): RecordBody {
  const arr = unpack(buf.subarray(HEADER_SIZE)) as [string, number, JsonObject, string | null];
  return { name: arr[0], version: arr[1], parameters: arr[2] ?? {}, traceparent: arr[3] ?? null };
}

/** Header of a new submission (submitted, or scheduled when run_at is in the future). */
function newHeader(task: NewTask, now: number, scheduled: boolean): RecordHeader {
  let flags = 0;
  if (task.leaseExpiryPolicy === 'stall') flags |= FLAG_STALL_ON_EXPIRY;
  if (task.deadLetterPolicy === 'save') flags |= FLAG_DEAD_LETTER;
  return {
    status: scheduled ? 'scheduled' : 'submitted',
    flags,
    retryAttempt: 0,
    maxRetries: task.maxRetries,
    starts: 0,
    owner: 0,
    createdAt: now,
    submittedAt: scheduled ? 0 : now,
    startedAt: 0,
    attemptStartedAt: 0,
    completedAt: 0,
    heartbeatAt: 0,
    runAt: scheduled ? (task.runAt as number) : 0,
  };
}

/** Bytes before each record in a submission batch: id (16), run_at (double), record length (uint32). */
const ENTRY_PREFIX = 28;

/**
 * New tasks of one queue as the single argument of submit-tasks.lua, which splits it with
 * struct.unpack: per task, the 16-byte id, run_at (epoch ms as a big-endian double; 0 = now),
 * the record's length (big-endian uint32) and the record (header + msgpack body). One buffer for
 * the whole batch: a bulk submission is client-bound, and one argument instead of three per task
 * spares the Redis client most of its per-argument encoding and copying. `now` is the client's
 * clock (epoch ms).
 */
export function encodeSubmission(tasks: NewTask[], now: number): Buffer {
  const bodies = tasks.map((task) =>
    encodeBody({
      name: task.name,
      version: task.version,
      parameters: task.parameters,
      traceparent: task.traceparent ?? null,
    }),
  );
  let size = 0;
  for (const body of bodies) size += ENTRY_PREFIX + HEADER_SIZE + body.length;
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  tasks.forEach((task, i) => {
    const body = bodies[i] as Buffer;
    const scheduled = task.runAt != null && task.runAt > now;
    writeIdBytes(task.id, out, pos);
    out.writeDoubleBE(scheduled ? (task.runAt as number) : 0, pos + 16);
    out.writeUInt32BE(HEADER_SIZE + body.length, pos + 24);
    pos += ENTRY_PREFIX;
    writeHeader(out.subarray(pos, pos + HEADER_SIZE), newHeader(task, now, scheduled));
    body.copy(out, pos + HEADER_SIZE);
    pos += HEADER_SIZE + body.length;
  });
  return out;
}

/** Bytes before each completion's results: id (16), starts (uint16), results length (uint32). */
const COMPLETION_PREFIX = 22;

/**
 * Completions as the single argument of claim-tasks.lua, which splits it with struct.unpack: per
 * task, the 16-byte id, the lease's `starts` (big-endian uint16), the results' length (big-endian
 * uint32) and the results (msgpack; empty when the handler returned nothing). One buffer instead
 * of three arguments per task: a busy worker sends about fifty completions per call, and the
 * Redis client's per-argument encoding was the largest cost of reporting them.
 */
export function encodeCompletions(
  completions: ReadonlyArray<{ id: string; starts: number; results: unknown }>,
): Buffer {
  const results = completions.map((c) => (c.results === undefined || c.results === null ? null : pack(c.results)));
  let size = 0;
  for (const r of results) size += COMPLETION_PREFIX + (r ? r.length : 0);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  completions.forEach((c, i) => {
    const r = results[i];
    writeIdBytes(c.id, out, pos);
    out.writeUInt16BE(c.starts, pos + 16);
    out.writeUInt32BE(r ? r.length : 0, pos + 18);
    pos += COMPLETION_PREFIX;
    if (r) pos += r.copy(out, pos);
  });
  return out;
}

export function encodeError(entry: AttemptError): Buffer {
  return pack(entry);
}

export function decodeErrors(buf: Buffer | null): AttemptError[] {
  if (!buf || buf.length === 0) return [];
  // Entries written by Lua's cmsgpack carry int64 numbers, which msgpackr decodes as BigInt.
  return (unpackAll(buf) as Array<Record<string, unknown>>).map((e) => ({
    ...(e as unknown as AttemptError),
    attempt: Number(e.attempt),
    at: Number(e.at),
  }));
}
