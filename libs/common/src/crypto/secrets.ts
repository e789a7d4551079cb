import { hash, timingSafeEqual } from 'node:crypto';

/** The one-shot `hash` (no Hash object per call): it runs on every request (tokens, session ids). */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Equality that takes the same time wherever the strings differ (strings of different lengths are unequal). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
