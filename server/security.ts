import { createHash, randomBytes, randomInt } from 'node:crypto';

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
