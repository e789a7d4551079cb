import { AppConfig } from '@app/common';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(AppConfig.fromEnv({ PASSWORD_SCRYPT_LOG2_N: '10' }));

  it('verifies the password it hashed and refuses another', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^scrypt\$10\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    await expect(hasher.verify('correct horse', hash)).resolves.toBe(true);
    await expect(hasher.verify('correct horsE', hash)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('keeps verifying hashes made with an older cost', async () => {
    const old = await new PasswordHasher(AppConfig.fromEnv({ PASSWORD_SCRYPT_LOG2_N: '11' })).hash('pw');
    await expect(hasher.verify('pw', old)).resolves.toBe(true);
  });

  it.each(['', 'bcrypt$10$a$b', 'scrypt$x$a$b', 'scrypt$10$AAAA$AAAA'])(
    'never matches a malformed hash %p',
    async (h) => {
      await expect(hasher.verify('pw', h)).resolves.toBe(false);
    },
  );
});
