import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, type Repository } from 'typeorm';
import { Clock, Translator, ValidationFailedError } from '@app/common';
import { SessionService, type StorefrontRequestContext, type UserEntity } from '@app/identity';
import { SmsSendEntity } from '../entities/sms-send.entity';
import { SmsFailedError, SmsResendTooSoonError, SmsSendsExceededError } from '../errors';
import { LoyaltyCardConfig } from '../loyalty-card.config';
import { SMS_SENDER, type SmsSender } from '../sms/sms-sender';

/** What the session keeps between the first post (code sent) and the second (code checked): never the code itself. */
interface ConfirmationData {
  phone: string;
  fingerprint: string;
  code_hash: string;
  sent_at_ms: number;
  expires_at_ms: number;
  attempts: number;
  last_wrong_hash: string | null;
}

export const CONFIRMATION_KEY = 'confirmation_data';
const HOUR_MS = 3_600_000;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A stable digest of the submitted form (without code and resend): the second post must carry the same data. */
export function fingerprintOf(data: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(data)
    .filter((k) => k !== 'code' && k !== 'resend')
    .sort();
  return sha256(JSON.stringify(keys.map((k) => [k, data[k] ?? null]))).toString('hex');
}

/** The session's confirmation data, when it is there and well-formed (it round-trips through JSON). */
function confirmationOf(ctx: StorefrontRequestContext): ConfirmationData | undefined {
  const value = ctx.session.get(CONFIRMATION_KEY);
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as Partial<ConfirmationData>;
  const valid =
    typeof data.phone === 'string' &&
    typeof data.fingerprint === 'string' &&
    typeof data.code_hash === 'string' &&
    typeof data.sent_at_ms === 'number' &&
    typeof data.expires_at_ms === 'number' &&
    typeof data.attempts === 'number';
  return valid ? (data as ConfirmationData) : undefined;
}

export type SendOutcome = 'sent' | 'repeat';

/**
 * SMS codes for loyalty-card enrolment. A 4-digit code from a cryptographic source, kept hashed in the session,
 * expires (SMS_CODE_TTL_MS), dies after SMS_CODE_ATTEMPTS_MAX wrong tries (the same wrong code repeated by the
 * client's retries counts once), and is not resent within SMS_RESEND_INTERVAL_MS nor more than
 * SMS_SENDS_PER_HOUR_MAX times an hour per user and per phone (counted in the database, so across sessions).
 */
@Injectable()
export class SmsVerificationService {
  private readonly logger = new Logger('SmsVerification');

  constructor(
    private readonly sessions: SessionService,
    @InjectRepository(SmsSendEntity) private readonly sends: Repository<SmsSendEntity>,
    @Inject(SMS_SENDER) private readonly sender: SmsSender,
    private readonly config: LoyaltyCardConfig,
    private readonly clock: Clock,
    private readonly translator: Translator,
  ) {}

  /**
   * A post without a code. The first sends a code; a repeat of the same post within the resend interval (the client
   * retries failed requests) sends nothing and answers the same; an explicit resend that early is refused.
   */
  async send(
    ctx: StorefrontRequestContext,
    user: UserEntity,
    phone: string,
    data: Readonly<Record<string, unknown>>,
    explicitResend: boolean,
  ): Promise<SendOutcome> {
    const now = this.clock.nowMs();
    const previous = confirmationOf(ctx);
    if (previous && now - previous.sent_at_ms < this.config.resendIntervalMs) {
      const waitSeconds = Math.ceil((this.config.resendIntervalMs - (now - previous.sent_at_ms)) / 1000);
      if (explicitResend) throw new SmsResendTooSoonError(waitSeconds);
      if (previous.phone === phone && previous.fingerprint === fingerprintOf(data)) return 'repeat';
      throw new SmsResendTooSoonError(waitSeconds);
    }
    const since = new Date(now - HOUR_MS);
    const [byUser, byPhone] = await Promise.all([
      this.sends.countBy({ channelId: ctx.channel.id, userId: user.id, sentAt: MoreThan(since) }),
      this.sends.countBy({ channelId: ctx.channel.id, phone, sentAt: MoreThan(since) }),
    ]);
    if (byUser >= this.config.sendsPerHourMax || byPhone >= this.config.sendsPerHourMax) {
      throw new SmsSendsExceededError();
    }
    const code = String(randomInt(0, 10_000)).padStart(4, '0');
    // Recorded before sending: a send that fails still counts, so failures cannot be used to dodge the limit.
    await this.sends.insert({ channelId: ctx.channel.id, userId: user.id, phone, sentAt: new Date(now) });
    try {
      await this.sender.send(
        ctx.channel.id,
        phone,
        this.translator.translate('loyalty_card.sms_text', ctx.language, { code }),
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'SMS not sent');
      throw new SmsFailedError();
    }
    const confirmation: ConfirmationData = {
      phone,
      fingerprint: fingerprintOf(data),
      code_hash: sha256(code).toString('hex'),
      sent_at_ms: now,
      expires_at_ms: now + this.config.codeTtlMs,
      attempts: 0,
      last_wrong_hash: null,
    };
    await this.sessions.set(ctx.session, ctx.channel.id, CONFIRMATION_KEY, confirmation);
    return 'sent';
  }

  /** The second post: the code must match the one sent for this phone and data. Consumed on success. */
  async verify(ctx: StorefrontRequestContext, phone: string, data: Readonly<Record<string, unknown>>, code: string) {
    const confirmation = confirmationOf(ctx);
    if (!confirmation || this.clock.nowMs() >= confirmation.expires_at_ms) {
      throw ValidationFailedError.forField('code', 'loyalty_card.code_expired');
    }
    if (confirmation.attempts >= this.config.codeAttemptsMax) {
      await this.clear(ctx);
      throw ValidationFailedError.forField('code', 'loyalty_card.code_attempts_exceeded');
    }
    if (confirmation.phone !== phone || confirmation.fingerprint !== fingerprintOf(data)) {
      throw ValidationFailedError.forField('non_field_errors', 'loyalty_card.details_mismatch');
    }
    const given = sha256(code);
    if (!timingSafeEqual(given, Buffer.from(confirmation.code_hash, 'hex'))) {
      const givenHex = given.toString('hex');
      if (confirmation.last_wrong_hash !== givenHex) {
        const attempts = confirmation.attempts + 1;
        await this.sessions.set(ctx.session, ctx.channel.id, CONFIRMATION_KEY, {
          ...confirmation,
          attempts,
          last_wrong_hash: givenHex,
        });
        if (attempts >= this.config.codeAttemptsMax) {
          throw ValidationFailedError.forField('code', 'loyalty_card.code_attempts_exceeded');
        }
      }
      throw ValidationFailedError.forField('code', 'loyalty_card.code_invalid');
    }
  }

  async clear(ctx: StorefrontRequestContext): Promise<void> {
    if (ctx.session.get(CONFIRMATION_KEY) !== undefined) {
      await this.sessions.set(ctx.session, ctx.channel.id, CONFIRMATION_KEY, undefined);
    }
  }
}
