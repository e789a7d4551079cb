import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/common';

const KEY_LENGTH_BYTES = 32;
const SALT_LENGTH_BYTES = 16;
const BLOCK_SIZE = 8;
const PARALLELIZATION = 1;
/** Longer inputs only cost CPU; the DTOs refuse them earlier with a field error. */
export const PASSWORD_LENGTH_MAX = 128;

function scryptAsync(password: string, salt: Buffer, log2N: number): Promise<Buffer> {
  const N = 2 ** log2N;
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, or Node refuses costs above its 32 MiB default.
    scrypt(
      password,
      salt,
      KEY_LENGTH_BYTES,
      { N, r: BLOCK_SIZE, p: PARALLELIZATION, maxmem: 256 * N * BLOCK_SIZE },
      (err, key) => {
        if (err) reject(err);
        else resolve(key);
      },
    );
  });
}

/**
 * Password hashes as `scrypt$<log2N>$<salt b64>$<hash b64>`. The cost is stored with each hash, so raising
 * PASSWORD_SCRYPT_LOG2_N keeps old hashes verifiable.
 */
@Injectable()
export class PasswordHasher {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH_BYTES);
    const key = await scryptAsync(password, salt, this.config.passwordScryptLog2N);
    return `scrypt$${this.config.passwordScryptLog2N}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  /** Constant-time comparison; a malformed stored hash never matches. */
  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, cost, salt, hash] = stored.split('$');
    const log2N = Number(cost);
    if (scheme !== 'scrypt' || !Number.isInteger(log2N) || log2N < 1 || log2N > 24 || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    if (expected.length !== KEY_LENGTH_BYTES) return false;
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), log2N);
    return timingSafeEqual(actual, expected);
  }

  /**
   * Spends the time of one verification when there is no user to verify against, so response times do not tell
   * whether an e-mail is registered.
   */
  async burn(password: string): Promise<void> {
    await scryptAsync(password, Buffer.alloc(SALT_LENGTH_BYTES), this.config.passwordScryptLog2N);
  }
}
