import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock, NotAuthenticatedError } from '@app/common';
import { LRUCache } from 'lru-cache';
import type { StaffLoginDto, StaffTokenResponseDto } from '../dtos/staff.dto';
import type { StaffUserEntity } from '../entities/staff-user.entity';
import { InvalidCredentialsError, InvalidTokenError } from '../errors';
import { StaffRepository } from '../repositories/staff.repository';
import { FailureLimits } from '../throttling/failure-limits';
import { PasswordHasher } from './password-hasher';
import { randomToken, sha256Hex } from './tokens';

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;
/** Distinct tokens remembered per instance: far above the staff of any shop, small in memory. */
const TOKEN_CACHE_ENTRIES_MAX = 10_000;

interface CachedToken {
  staffUser: StaffUserEntity;
  expiresAt: Date;
}
export const STAFF_CHANNELS_MAX = 1_000;

export interface StaffCreateInput {
  username: string;
  password: string;
  superuser: boolean;
  channelIds: number[];
}

export interface DemoStaff {
  username: string;
  password: string;
  token: string;
}

/**
 * Back-office staff and their API tokens. Tokens are 256 random bits, stored as SHA-256 (a slow hash adds nothing
 * for random secrets), expire after STAFF_TOKEN_TTL_SECONDS and can be revoked.
 */
@Injectable()
export class StaffService {
  /**
   * Valid tokens seen in the last STAFF_TOKEN_CACHE_SECONDS, by hash: every back-office call authenticates, and the
   * lookup was a tenth of a ledger call's database work. Logout evicts at once on the instance that handles it;
   * other instances may accept a revoked token, or a deactivated user's, for at most that many seconds.
   */
  private readonly tokenCache: LRUCache<string, CachedToken> | undefined;

  constructor(
    @Inject(StaffRepository) private readonly staff: StaffRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(FailureLimits) private readonly limits: FailureLimits,
  ) {
    if (config.staffTokenCacheSeconds > 0) {
      this.tokenCache = new LRUCache<string, CachedToken>({
        max: TOKEN_CACHE_ENTRIES_MAX,
        ttl: config.staffTokenCacheSeconds * 1000,
        ttlAutopurge: false,
      });
    }
  }

  async create(input: StaffCreateInput): Promise<StaffUserEntity> {
    const username = input.username.trim();
    if (!/^[\w.@+-]{1,150}$/.test(username)) throw new Error('username: 1 to 150 letters, digits or . @ + - _');
    if (input.password.length < 8 || input.password.length > 128) throw new Error('password: 8 to 128 characters');
    if (input.channelIds.length > STAFF_CHANNELS_MAX) throw new Error(`at most ${STAFF_CHANNELS_MAX} channels`);
    if (await this.staff.findByUsername(username)) throw new Error(`staff user ${username} exists already`);
    return this.staff.insertStaff({
      username,
      passwordHash: await this.hasher.hash(input.password),
      isSuperuser: input.superuser,
      isActive: true,
      channelIds: [...new Set(input.channelIds)].sort((a, b) => a - b),
      createdAt: this.clock.now(),
    });
  }

  /** `ip`: the caller's address, for the failure limits (see `FailureLimits.login`). */
  async login(dto: StaffLoginDto, ip: string | undefined): Promise<StaffTokenResponseDto> {
    // The failure limits count the username this login looks up, never another field of the body.
    const username = dto.username.trim();
    const staff = await this.limits.login('staff', username, ip, async () => {
      const found = await this.staff.findByUsername(username);
      if (!found) {
        await this.hasher.burn(dto.password);
        throw new InvalidCredentialsError();
      }
      if (!(await this.hasher.verify(dto.password, found.passwordHash)) || !found.isActive) {
        throw new InvalidCredentialsError();
      }
      return found;
    });
    return { key: await this.issueToken(staff) };
  }

  async issueToken(staff: StaffUserEntity): Promise<string> {
    const token = randomToken();
    const now = this.clock.now();
    await this.staff.insertToken({
      staffUserId: staff.id,
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.staffTokenTtlSeconds * 1000),
      revokedAt: null,
    });
    return token;
  }

  /** The active staff user of an `Authorization: Token <key>` header. */
  async authenticate(authorization: string | undefined): Promise<StaffUserEntity> {
    // No credentials at all is its own answer, as the platform's: a token that was sent and is wrong is another.
    if (!authorization?.trim()) throw new NotAuthenticatedError();
    const token = tokenOf(authorization);
    if (!token) throw new InvalidTokenError();
    const hash = sha256Hex(token);
    let found = this.tokenCache?.get(hash);
    if (!found) {
      const row = await this.staff.findToken(hash);
      found = row?.staffUser ? { staffUser: row.staffUser, expiresAt: row.expiresAt } : undefined;
      if (found?.staffUser.isActive) this.tokenCache?.set(hash, found);
    }
    // Expiry is checked on every call, cached or not: the cache only saves the read.
    if (!found?.staffUser.isActive || found.expiresAt.getTime() <= this.clock.nowMs()) throw new InvalidTokenError();
    return found.staffUser;
  }

  async revoke(authorization: string | undefined): Promise<boolean> {
    const token = tokenOf(authorization);
    if (!token) return false;
    const hash = sha256Hex(token);
    this.tokenCache?.delete(hash);
    const revoked = await this.staff.revokeToken(hash, this.clock.now());
    // Again after the write: a call that read the row before it may have cached the token in between.
    this.tokenCache?.delete(hash);
    return revoked;
  }

  /** On a new installation (no staff at all): a superuser with a random password and a token, shown once. */
  async ensureDemoStaff(): Promise<DemoStaff | undefined> {
    if ((await this.staff.count()) > 0) return undefined;
    const password = randomBytes(12).toString('base64url');
    const staff = await this.create({ username: 'admin', password, superuser: true, channelIds: [] });
    return { username: staff.username, password, token: await this.issueToken(staff) };
  }
}

function tokenOf(authorization: string | undefined): string | undefined {
  const match = /^Token\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  const token = match?.[1];
  return token && TOKEN_PATTERN.test(token) ? token : undefined;
}
