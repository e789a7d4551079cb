import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, AppError, Clock, DomainError, httpStatusOf, TooManyAttemptsError } from '@app/common';
import { type CounterRule, Counters, type CounterTry, counterKey, retryAfterSeconds } from '@app/database';
import { InvalidCredentialsError } from '../errors';
import { clientAddressOf } from './auth-throttler.guard';

export type LoginKind = 'customer' | 'staff';

/**
 * A client's mistake (4xx), other than a refusal by a limit (429): what the per-user limit counts. `error` is the
 * answer as the app gives it: a lib's domain error is first turned into its app's AppError (ErrorRenderer.toAppError).
 * A domain error still here has no row in the app's table (a bug, answered 500): it counts, so that a gap in the
 * table cannot open a limit.
 */
export function isClientFailure(error: unknown): boolean {
  if (error instanceof DomainError) return true;
  const status =
    error instanceof AppError ? httpStatusOf(error) : error instanceof HttpException ? error.getStatus() : undefined;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/**
 * Limits that count failures. A try takes a slot of every rule before the work runs, in the shared counters, so
 * N tries at once on any instances take N slots and the work (a password check) runs at most `limit` times; the
 * slots are given back when the try turns out not to be a failure. A rule that is used up answers 429 with
 * Retry-After, before any work.
 */
@Injectable()
export class FailureLimits {
  private readonly logger = new Logger('FailureLimits');

  constructor(
    @Inject(Counters) private readonly counters: Counters,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * A password check for one account (the identity the login looks up): at most AUTH_THROTTLE_ACCOUNT_LIMIT
   * failures per account and client address, and AUTH_THROTTLE_ACCOUNT_CEILING per account from all addresses,
   * per window. Strangers failing elsewhere cannot lock the owner out below the ceiling; a correct password does
   * not count.
   */
  login<T>(kind: LoginKind, account: string, ip: string | undefined, check: () => Promise<T>): Promise<T> {
    const windowMs = this.config.authThrottleWindowSeconds * 1000;
    const rules: CounterRule[] = [
      {
        key: counterKey(`login:${kind}:address`, account, clientAddressOf(ip)),
        limit: this.config.authThrottleAccountLimit,
        windowMs,
      },
      { key: counterKey(`login:${kind}:account`, account), limit: this.config.authThrottleAccountCeiling, windowMs },
    ];
    return this.run(rules, (error) => error instanceof InvalidCredentialsError, check);
  }

  /** The rule of a signed-in user on one endpoint: AUTH_THROTTLE_ACCOUNT_LIMIT failed requests per window. */
  signedInRule(endpoint: string, channelId: number, userId: number): CounterRule {
    return {
      key: counterKey(`failures:${endpoint}`, channelId, userId),
      limit: this.config.authThrottleAccountLimit,
      windowMs: this.config.authThrottleWindowSeconds * 1000,
    };
  }

  /** Runs `work` holding a slot of each rule; keeps them only when it throws an error `isFailure` accepts. */
  async run<T>(
    rules: readonly CounterRule[],
    isFailure: (error: unknown) => boolean,
    work: () => Promise<T>,
  ): Promise<T> {
    const taken: [CounterRule, CounterTry][] = [];
    for (const rule of rules) {
      const attempt = await this.counters.consume(rule);
      if (!attempt.allowed) {
        await this.giveBack(taken);
        throw new TooManyAttemptsError(retryAfterSeconds(attempt, this.clock.nowMs()));
      }
      taken.push([rule, attempt]);
    }
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (!isFailure(error)) await this.giveBack(taken);
      throw error;
    }
    await this.giveBack(taken);
    return result;
  }

  /** A slot not given back stays counted until its window ends: the safe side, so a store error is only logged. */
  private async giveBack(taken: readonly [CounterRule, CounterTry][]): Promise<void> {
    await Promise.all(
      taken.map(([rule, attempt]) =>
        this.counters.release(rule, attempt).catch((error: unknown) => {
          this.logger.warn({ err: (error as Error).message }, 'Limit slot not given back');
        }),
      ),
    );
  }
}
