import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes as hex: 256 bits, `[0-9a-f]` only (the storefront client reads `osessionid=\w+`). */
export function randomToken(): string {
  return randomBytes(32).toString('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Equality that takes the same time wherever the strings differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
