import { AppConfig, ManualClock } from '@app/common';
import type { StaffTokenEntity } from '../entities/staff-token.entity';
import type { StaffUserEntity } from '../entities/staff-user.entity';
import { InvalidTokenError } from '../errors';
import type { StaffRepository } from '../repositories/staff.repository';
import type { FailureLimits } from '../throttling/failure-limits';
import type { PasswordHasher } from './password-hasher';
import { StaffService } from './staff.service';
import { sha256Hex } from './tokens';

const TOKEN = 'a'.repeat(64);

/** The token table of one database: the service under test reads it through findToken only. */
class FakeTokens {
  reads = 0;
  revoked = false;
  active = true;

  constructor(private readonly clock: ManualClock) {}

  readonly repository = {
    findToken: (hash: string): Promise<StaffTokenEntity | null> => {
      this.reads++;
      if (hash !== sha256Hex(TOKEN) || this.revoked) return Promise.resolve(null);
      const staffUser = { id: 7, username: 'staff', isActive: this.active } as StaffUserEntity;
      const expiresAt = new Date(this.clock.nowMs() + 60_000);
      return Promise.resolve({ staffUser, expiresAt } as StaffTokenEntity);
    },
    revokeToken: (): Promise<boolean> => {
      this.revoked = true;
      return Promise.resolve(true);
    },
  } as unknown as StaffRepository;
}

function serviceWith(cacheSeconds: string): { service: StaffService; tokens: FakeTokens; clock: ManualClock } {
  const clock = new ManualClock();
  const tokens = new FakeTokens(clock);
  const config = AppConfig.fromEnv({ STAFF_TOKEN_CACHE_SECONDS: cacheSeconds });
  const service = new StaffService(tokens.repository, {} as PasswordHasher, config, clock, {} as FailureLimits);
  return { service, tokens, clock };
}

describe(StaffService.name, () => {
  describe('authenticate', () => {
    it('reads a token once and then answers from the cache', async () => {
      const { service, tokens } = serviceWith('5');
      await expect(service.authenticate(`Token ${TOKEN}`)).resolves.toMatchObject({ id: 7 });
      await expect(service.authenticate(`Token ${TOKEN}`)).resolves.toMatchObject({ id: 7 });
      expect(tokens.reads).toBe(1);
    });

    it('refuses a token revoked on this instance at once', async () => {
      const { service, tokens } = serviceWith('5');
      await service.authenticate(`Token ${TOKEN}`);
      await expect(service.revoke(`Token ${TOKEN}`)).resolves.toBe(true);
      await expect(service.authenticate(`Token ${TOKEN}`)).rejects.toBeInstanceOf(InvalidTokenError);
      expect(tokens.reads).toBe(2);
    });

    it('still expires a cached token on time', async () => {
      const { service, clock } = serviceWith('60');
      await service.authenticate(`Token ${TOKEN}`);
      clock.advanceMs(60_000);
      await expect(service.authenticate(`Token ${TOKEN}`)).rejects.toBeInstanceOf(InvalidTokenError);
    });

    it('does not cache an unknown or inactive user’s token', async () => {
      const { service, tokens } = serviceWith('5');
      tokens.active = false;
      await expect(service.authenticate(`Token ${TOKEN}`)).rejects.toBeInstanceOf(InvalidTokenError);
      tokens.active = true;
      await expect(service.authenticate(`Token ${TOKEN}`)).resolves.toMatchObject({ id: 7 });
      await expect(service.authenticate(`Token ${'b'.repeat(64)}`)).rejects.toBeInstanceOf(InvalidTokenError);
      expect(tokens.reads).toBe(3);
    });

    it('reads every time when STAFF_TOKEN_CACHE_SECONDS is 0', async () => {
      const { service, tokens } = serviceWith('0');
      await service.authenticate(`Token ${TOKEN}`);
      tokens.revoked = true;
      await expect(service.authenticate(`Token ${TOKEN}`)).rejects.toBeInstanceOf(InvalidTokenError);
      expect(tokens.reads).toBe(2);
    });
  });
});
