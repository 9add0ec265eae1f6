import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 128 bits, URL-safe: for capability links and participant tokens. */
export function newSecret(): string {
  return randomBytes(16).toString('base64url');
}

/** 96 bits: row ids that reveal nothing and cannot be enumerated. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function secureRandomInt(n: number): number {
  return randomInt(n);
}

/** Compares two hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A keyed hash of a device token for one purpose (supporting questions, answering an evaluation):
 * the same person always gets the same value, so a database constraint allows one support or one
 * response each, but the token is never stored (only its SHA-256 is), so the database alone cannot
 * tell whose it is.
 */
export function pseudonym(deviceToken: string, purpose: string): string {
  return createHmac('sha256', deviceToken).update(purpose).digest('base64url');
}

/** Times kept beside anonymous content are floored to this: a coarse bucket, never the moment. */
export function coarseTime(now: number, bucketMs = 5 * 60_000): number {
  return now - (now % bucketMs);
}
