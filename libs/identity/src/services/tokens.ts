import { randomBytes } from 'node:crypto';

/** 32 random bytes as hex: 256 bits, `[0-9a-f]` only (the storefront client reads `osessionid=\w+`). */
export function randomToken(): string {
  return randomBytes(32).toString('hex');
}

export { constantTimeEqual, sha256Hex } from '@app/common';
