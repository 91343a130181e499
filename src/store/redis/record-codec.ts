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

export function encodeHeader(h: RecordHeader): Buffer {
  const b = Buffer.alloc(HEADER_SIZE);
  b.writeUInt8(FORMAT, 0);
  b.writeUInt8(STATUS_CODE[h.status], 1);
  b.writeUInt8(h.flags, 2);
  b.writeUInt16BE(h.retryAttempt, 4);
  b.writeUInt16BE(h.maxRetries, 6);
  b.writeUInt16BE(h.starts, 8);
  b.writeUInt32BE(h.owner >>> 0, 10);
  const times = [h.createdAt, h.submittedAt, h.startedAt, h.attemptStartedAt, h.completedAt, h.heartbeatAt, h.runAt];
  times.forEach((t, i) => b.writeDoubleBE(t, 14 + i * 8));
  return b;
}

export function decodeHeader(buf: Buffer): RecordHeader {
  if (buf.length < HEADER_SIZE || buf.readUInt8(0) !== FORMAT) {
    throw new Error(`Stored task record has an unknown format (length ${buf.length}, format ${buf[0]})`);
  }
  const t = (i: number) => buf.readDoubleBE(14 + i * 8);
  return {
    status: statusFromCode(buf.readUInt8(1)),
    flags: buf.readUInt8(2),
    retryAttempt: buf.readUInt16BE(4),
    maxRetries: buf.readUInt16BE(6),
    starts: buf.readUInt16BE(8),
    owner: buf.readUInt32BE(10),
    createdAt: t(0),
    submittedAt: t(1),
    startedAt: t(2),
    attemptStartedAt: t(3),
    completedAt: t(4),
    heartbeatAt: t(5),
    runAt: t(6),
  };
}

export function encodeBody(body: RecordBody): Buffer {
  return pack([body.name, body.version, body.parameters, body.traceparent]);
}

export function decodeBody(buf: Buffer): RecordBody {
  const arr = unpack(buf.subarray(HEADER_SIZE)) as [string, number, JsonObject, string | null];
  return { name: arr[0], version: arr[1], parameters: arr[2] ?? {}, traceparent: arr[3] ?? null };
}

/** The full record for a new submission. `now` is the client's clock (epoch ms). */
export function encodeNewRecord(task: NewTask, now: number): { blob: Buffer; scheduled: boolean } {
  const scheduled = task.runAt != null && task.runAt > now;
  let flags = 0;
  if (task.leaseExpiryPolicy === 'stall') flags |= FLAG_STALL_ON_EXPIRY;
  if (task.deadLetterPolicy === 'save') flags |= FLAG_DEAD_LETTER;
  const header = encodeHeader({
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
  });
  const body = encodeBody({
    name: task.name,
    version: task.version,
    parameters: task.parameters,
    traceparent: task.traceparent ?? null,
  });
  return { blob: Buffer.concat([header, body]), scheduled };
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
