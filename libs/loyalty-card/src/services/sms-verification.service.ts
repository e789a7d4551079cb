import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, Translator } from '@app/common';
import { type CounterRule, Counters, type CounterTry, counterKey, retryAfterSeconds } from '@app/database';
import { SessionService, type StorefrontRequestContext, type UserEntity } from '@app/identity';
import {
  SmsCodeAttemptsExceededError,
  SmsCodeExpiredError,
  SmsCodeInvalidError,
  SmsDetailsMismatchError,
  SmsFailedError,
  SmsResendTooSoonError,
  SmsSendsExceededError,
} from '../errors';
import { LoyaltyCardConfig } from '../loyalty-card.config';
import { SmsRepository } from '../repositories/sms.repository';
import { SMS_SENDER, type SmsSender } from '../sms/sms-sender';

/**
 * What the session keeps between the first post (code sent) and the second (code checked): never the code itself,
 * and not the tries either: those are counted in the shared counters under `code_id`, atomically.
 */
interface ConfirmationData {
  /** Random, one per code sent: the key of its attempt counter. */
  code_id: string;
  phone: string;
  fingerprint: string;
  code_hash: string;
  sent_at_ms: number;
  expires_at_ms: number;
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
    typeof data.code_id === 'string' &&
    typeof data.phone === 'string' &&
    typeof data.fingerprint === 'string' &&
    typeof data.code_hash === 'string' &&
    typeof data.sent_at_ms === 'number' &&
    typeof data.expires_at_ms === 'number';
  return valid ? (data as ConfirmationData) : undefined;
}

export type SendOutcome = 'sent' | 'repeat';

/**
 * SMS codes for loyalty-card enrolment. A 4-digit code from a cryptographic source, kept hashed in the session,
 * expires (SMS_CODE_TTL_MS) and dies after SMS_CODE_ATTEMPTS_MAX tries (the same wrong code repeated by the
 * client's retries counts once). A code is not sent within SMS_RESEND_INTERVAL_MS of the user's last one, nor more
 * than SMS_SENDS_PER_HOUR_MAX times an hour per user and per phone. Every one of these rules is counted in the
 * shared `Counters` (Redis or PostgreSQL) in one atomic step that also judges it, so concurrent posts on any
 * instances cannot all pass a check that read the same old count.
 */
@Injectable()
export class SmsVerificationService {
  private readonly logger = new Logger('SmsVerification');

  constructor(
    private readonly sessions: SessionService,
    private readonly records: SmsRepository,
    @Inject(SMS_SENDER) private readonly sender: SmsSender,
    @Inject(Counters) private readonly counters: Counters,
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
    const channelId = ctx.channel.id;
    const previous = confirmationOf(ctx);
    const fingerprint = fingerprintOf(data);
    if (
      !explicitResend &&
      previous &&
      now - previous.sent_at_ms < this.config.resendIntervalMs &&
      previous.phone === phone &&
      previous.fingerprint === fingerprint
    ) {
      return 'repeat';
    }
    // The interval is the user's, not the session's: another session of the same user waits as well.
    const interval: CounterRule | undefined =
      this.config.resendIntervalMs > 0
        ? { key: counterKey('sms:interval', channelId, user.id), limit: 1, windowMs: this.config.resendIntervalMs }
        : undefined;
    const slot = interval ? await this.counters.consume(interval) : undefined;
    if (slot && !slot.allowed) throw new SmsResendTooSoonError(retryAfterSeconds(slot, now));
    // Counted before sending: a send that fails still counts, so failures cannot be used to dodge the limits.
    for (const rule of [
      { key: counterKey('sms:sends:user', channelId, user.id), limit: this.config.sendsPerHourMax, windowMs: HOUR_MS },
      { key: counterKey('sms:sends:phone', channelId, phone), limit: this.config.sendsPerHourMax, windowMs: HOUR_MS },
    ]) {
      const sendSlot = await this.counters.consume(rule);
      if (!sendSlot.allowed) throw new SmsSendsExceededError(retryAfterSeconds(sendSlot, now));
    }
    const code = String(randomInt(0, 10_000)).padStart(4, '0');
    // A record of every code sent, for support and audits; the limits above do not read it.
    await this.records.recordSend(channelId, user.id, phone, new Date(now));
    try {
      await this.sender.send(
        channelId,
        phone,
        this.translator.translate('loyalty_card.sms_text', ctx.language, { code }),
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'SMS not sent');
      // Nothing reached the phone: the client may retry at once (the hourly counts keep this try).
      if (interval && slot) await this.giveBack(interval, slot);
      throw new SmsFailedError();
    }
    const confirmation: ConfirmationData = {
      code_id: randomUUID(),
      phone,
      fingerprint,
      code_hash: sha256(code).toString('hex'),
      sent_at_ms: now,
      expires_at_ms: now + this.config.codeTtlMs,
    };
    await this.sessions.set(ctx.session, channelId, CONFIRMATION_KEY, confirmation);
    return 'sent';
  }

  /**
   * The second post: the code must match the one sent for this phone and data. A try is taken from the code's
   * attempt counter before the code is compared, so once SMS_CODE_ATTEMPTS_MAX distinct codes were tried, even the
   * right one is refused. Consumed on success (the caller clears the session).
   */
  async verify(ctx: StorefrontRequestContext, phone: string, data: Readonly<Record<string, unknown>>, code: string) {
    const confirmation = confirmationOf(ctx);
    if (!confirmation || this.clock.nowMs() >= confirmation.expires_at_ms) {
      throw new SmsCodeExpiredError();
    }
    if (confirmation.phone !== phone || confirmation.fingerprint !== fingerprintOf(data)) {
      throw new SmsDetailsMismatchError();
    }
    const given = sha256(code);
    // The same code tried again (the client's retries) is the same member: it counts once.
    const attempt = await this.counters.consume(
      {
        key: counterKey('sms:code', confirmation.code_id),
        limit: this.config.codeAttemptsMax,
        windowMs: this.config.codeTtlMs,
      },
      sha256(`${confirmation.code_id}:${code}`).toString('hex'),
    );
    // The session keeps the used-up code: every later try says so too, until a new code is sent.
    if (!attempt.allowed) throw new SmsCodeAttemptsExceededError();
    if (!timingSafeEqual(given, Buffer.from(confirmation.code_hash, 'hex'))) {
      if (attempt.count >= this.config.codeAttemptsMax) {
        throw new SmsCodeAttemptsExceededError();
      }
      throw new SmsCodeInvalidError();
    }
  }

  async clear(ctx: StorefrontRequestContext): Promise<void> {
    if (ctx.session.get(CONFIRMATION_KEY) !== undefined) {
      await this.sessions.set(ctx.session, ctx.channel.id, CONFIRMATION_KEY, undefined);
    }
  }

  private async giveBack(rule: CounterRule, taken: CounterTry): Promise<void> {
    await this.counters.release(rule, taken).catch((error: unknown) => {
      this.logger.warn({ err: (error as Error).message }, 'Resend interval not given back');
    });
  }
}
