import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

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

/** The key that seals the other staff links: derived from the lead facilitator's secret, never stored. */
function sealKey(leadSecret: string): Buffer {
  return createHmac('sha256', leadSecret).update('concerto:staff-links').digest();
}

/** [SEC-SEAL] Text only the holder of `leadSecret` can read back (AES-256-GCM). */
export function seal(leadSecret: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(leadSecret), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The sealed text, or null when the secret is not the one it was sealed with (or the data is damaged). */
export function unseal(leadSecret: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealKey(leadSecret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
