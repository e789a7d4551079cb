import { Inject, Injectable } from '@nestjs/common';
import { Clock, NotAuthenticatedError, type Page, toPage } from '@app/common';
import type { UserListQueryDto } from '../dtos/admin-user.dto';
import type {
  CurrentUserResponseDto,
  LoginDto,
  LoginResponseDto,
  ProfileUpdateDto,
  RegistrationDto,
  UserResponseDto,
} from '../dtos/user.dto';
import { isGender, type UserEntity } from '../entities/user.entity';
import { CsrfFailedError, EmailTakenError, InvalidCredentialsError } from '../errors';
import { CSRF_COOKIE, csrfPasses, newCsrfToken } from './csrf';
import type { StorefrontRequestContext } from '../request-context';
import { DuplicateEmailError, type UserChanges, UserRepository } from '../repositories/user.repository';
import { LoginHooks } from '../session/login-hooks';
import { SessionService } from '../session/session.service';
import { FailureLimits } from '../throttling/failure-limits';
import type { Channel } from './channel.service';
import { PasswordHasher } from './password-hasher';
import { sha256Hex } from './tokens';
import { toCurrentUserResponse, toUserResponse } from '../identity.mapper';

export type LogoutStep = { step: 'form'; csrfToken: string } | { step: 'done' };

/** Storefront customers: registration, sign-in and out, profile; and the back-office lookup. */
@Injectable()
export class UserService {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LoginHooks) private readonly loginHooks: LoginHooks,
    @Inject(FailureLimits) private readonly limits: FailureLimits,
  ) {}

  /** The signed-in user of a session, when it is still active. */
  /** The active user of a session; from the row the session store read with it when there is one (no second read). */
  async findSessionUser(
    channel: Channel,
    userId: number | null,
    storedRow?: Record<string, unknown> | null,
  ): Promise<UserEntity | undefined> {
    if (userId === null) return undefined;
    const user =
      storedRow === undefined
        ? await this.users.findById(channel.id, userId)
        : storedRow && this.users.fromRow(storedRow, channel.id, userId);
    return user?.isActive ? user : undefined;
  }

  async register(ctx: StorefrontRequestContext, dto: RegistrationDto): Promise<LoginResponseDto> {
    const emailLower = dto.email.toLowerCase();
    if (await this.users.findByEmail(ctx.channel.id, emailLower)) throw new EmailTakenError();
    const now = this.clock.now();
    let user: UserEntity;
    try {
      user = await this.users.insert({
        channelId: ctx.channel.id,
        // The platform's usernames are opaque 64-hex strings; this one is stable per channel and e-mail.
        username: sha256Hex(`${ctx.channel.id}:${emailLower}`),
        email: dto.email,
        emailLower,
        passwordHash: await this.hasher.hash(dto.password),
        firstName: dto.first_name ?? '',
        lastName: dto.last_name ?? '',
        isActive: true,
        dateJoined: now,
        lastLogin: now,
        emailAllowed: dto.email_allowed ?? false,
        smsAllowed: dto.sms_allowed ?? false,
        callAllowed: dto.call_allowed ?? null,
        gender: dto.gender !== undefined && isGender(dto.gender) ? dto.gender : 'unknown',
        attributes: {},
        phone: dto.phone ?? null,
        dateOfBirth: dto.date_of_birth ?? null,
        attributesKwargs: {},
        userType: 'registered',
        modifiedDate: now,
      });
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new EmailTakenError();
      throw error;
    }
    return this.startSession(ctx, user);
  }

  async login(ctx: StorefrontRequestContext, dto: LoginDto): Promise<LoginResponseDto> {
    const emailLower = dto.email.toLowerCase();
    // The failure limits count the account this login looks up: the channel's normalised e-mail.
    const user = await this.limits.login('customer', `${ctx.channel.id}:${emailLower}`, ctx.clientIp, async () => {
      const found = await this.users.findByEmail(ctx.channel.id, emailLower);
      if (!found) {
        await this.hasher.burn(dto.password);
        throw new InvalidCredentialsError();
      }
      const valid = await this.hasher.verify(dto.password, found.passwordHash);
      if (!valid || !found.isActive) throw new InvalidCredentialsError();
      return found;
    });
    const now = this.clock.now();
    await this.users.update(user, { lastLogin: now });
    return this.startSession(ctx, user);
  }

  /**
   * The storefront's two-step logout: without a token, a form carrying a fresh one (the caller then sends it back
   * with `Cookie: csrftoken=<same>`); with a token that matches the cookie, the session ends.
   */
  async logout(ctx: StorefrontRequestContext, formToken: string | undefined): Promise<LogoutStep> {
    if (formToken === undefined) return { step: 'form', csrfToken: newCsrfToken() };
    if (!csrfPasses(ctx.cookies[CSRF_COOKIE], undefined, formToken)) throw new CsrfFailedError();
    await this.sessions.logout(ctx.session);
    ctx.user = undefined;
    return { step: 'done' };
  }

  current(ctx: StorefrontRequestContext): CurrentUserResponseDto {
    return toCurrentUserResponse(this.requireUser(ctx));
  }

  profile(ctx: StorefrontRequestContext): UserResponseDto {
    return toUserResponse(this.requireUser(ctx));
  }

  async updateProfile(ctx: StorefrontRequestContext, dto: ProfileUpdateDto): Promise<UserResponseDto> {
    const user = this.requireUser(ctx);
    const changes: UserChanges = { modifiedDate: this.clock.now() };
    if (dto.first_name !== undefined) changes.firstName = dto.first_name;
    if (dto.last_name !== undefined) changes.lastName = dto.last_name;
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (dto.email_allowed !== undefined) changes.emailAllowed = dto.email_allowed;
    if (dto.sms_allowed !== undefined) changes.smsAllowed = dto.sms_allowed;
    if (dto.call_allowed !== undefined) changes.callAllowed = dto.call_allowed;
    if (dto.gender !== undefined && isGender(dto.gender)) changes.gender = dto.gender;
    if (dto.date_of_birth !== undefined) changes.dateOfBirth = dto.date_of_birth;
    return toUserResponse(await this.users.update(user, changes));
  }

  async list(channel: Channel, query: UserListQueryDto, requestUrl: URL): Promise<Page<UserResponseDto>> {
    const [rows, count] = await this.users.list(
      {
        channelId: channel.id,
        id: query.pk,
        emailLower: query.email?.toLowerCase(),
        emailContains: query.email__icontains?.toLowerCase(),
      },
      query.offset,
      query.page_size,
    );
    return toPage(rows.map(toUserResponse), count, query, requestUrl);
  }

  private requireUser(ctx: StorefrontRequestContext): UserEntity {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }

  private async startSession(ctx: StorefrontRequestContext, user: UserEntity): Promise<LoginResponseDto> {
    const replaced = await this.sessions.login(ctx.session, ctx.channel.id, user.id);
    ctx.user = user;
    await this.loginHooks.run({ channelId: ctx.channel.id, userId: user.id, session: ctx.session, replaced });
    const key = ctx.session.id;
    if (!key) throw new Error('a session id must exist after login');
    return { key };
  }
}
