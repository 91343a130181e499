/**
 * Task ids are ULIDs: 26-character Crockford base32 strings in JSON, 16 raw bytes inside Redis
 * (members and hash fields), which halves their memory and keeps byte order = time order.
 */
import { randomFillSync } from 'node:crypto';

const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ENCODING.length; i++) {
  DECODE[ENCODING.charCodeAt(i)] = i;
  DECODE[ENCODING.toLowerCase().charCodeAt(i)] = i;
}

const ULID_RE = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;

// Randomness comes from a pooled buffer refilled 4 KiB at a time: the `ulid` package asks the
// CSPRNG once per character, which cost more than a whole submission round trip.
const pool = Buffer.alloc(4096);
let poolPos = pool.length;
let lastTime = -1;
/** The 16 random base32 digits of the last id, as numbers, for the monotonic increment. */
const lastRandom = new Uint8Array(16);

function fillRandom(): void {
  if (poolPos + 16 > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  for (let i = 0; i < 16; i++) lastRandom[i] = (pool[poolPos + i] as number) & 31;
  poolPos += 16;
}

/**
 * A new ULID. Monotonic within a process: ids made in the same millisecond increment the random
 * part, so they still sort in creation order (and byte order = time order in Redis).
 */
export function newTaskId(): string {
  let now = Date.now();
  if (now <= lastTime) {
    now = lastTime;
    let i = 15;
    while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0;
    if (i < 0) throw new Error('ULID random part overflowed within one millisecond');
    lastRandom[i] = (lastRandom[i] as number) + 1;
  } else {
    lastTime = now;
    fillRandom();
  }
  let out = '';
  for (let i = 9, t = now; i >= 0; i--) {
    out = ENCODING[t % 32] + out;
    t = Math.floor(t / 32);
  }
  for (let i = 0; i < 16; i++) out += ENCODING[lastRandom[i] as number];
  return out;
}

export function isValidTaskId(value: unknown): value is string {
  return typeof value === 'string' && ULID_RE.test(value);
}

/** Canonical upper-case form; throws on anything that is not a ULID. */
export function normalizeTaskId(value: string): string {
  if (!isValidTaskId(value)) {
    throw new TypeError(`"${String(value).slice(0, 40)}" is not a ULID (26 Crockford base32 characters)`);
  }
  return value.toUpperCase();
}

/**
 * 26-char ULID → 16 bytes (big-endian 128 bits). Bit-accumulator arithmetic on small integers:
 * this runs for every task on the hot path, where BigInt would cost more than the Redis call.
 */
export function idToBytes(id: string): Buffer {
  const out = Buffer.allocUnsafe(16);
  writeIdBytes(id, out, 0);
  return out;
}

/** idToBytes into out[offset .. offset + 16) (batch encoders write many ids into one buffer). */
export function writeIdBytes(id: string, out: Uint8Array, offset: number): void {
  if (id.length !== 26) throw new TypeError(`"${id}" is not a ULID`);
  let acc = 0;
  let bits = 0;
  let j = offset;
  for (let i = 0; i < 26; i++) {
    const v = DECODE[id.charCodeAt(i)] ?? -1;
    if (v < 0) throw new TypeError(`"${id}" is not a ULID`);
    // The first character carries 3 significant bits (130 - 128).
    if (i === 0) {
      if (v > 7) throw new TypeError(`"${id}" is not a ULID (first character above 7)`);
      acc = v;
      bits = 3;
      continue;
    }
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
}

/** 16 bytes → 26-char ULID. */
export function bytesToId(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new TypeError(`A binary task id has 16 bytes, got ${bytes.length}`);
  let out = ENCODING[(bytes[0] as number) >> 5] as string;
  let acc = (bytes[0] as number) & 31;
  let bits = 5;
  let i = 1;
  while (out.length < 26) {
    if (bits < 5) {
      acc = (acc << 8) | (bytes[i++] as number);
      bits += 8;
    }
    bits -= 5;
    out += ENCODING[(acc >> bits) & 31];
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** Millisecond timestamp encoded in a ULID. */
export function idTime(id: string): number {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + (DECODE[id.charCodeAt(i)] ?? 0);
  return t;
}
