import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, throwError } from 'rxjs';
import {
  type AppConfig,
  DomainError,
  EdgeErrors,
  edgeRule,
  ErrorRenderer,
  NotFoundError,
  TooManyAttemptsError,
  Translator,
  ValidationFailedError,
} from '@app/common';
import { setStorefrontContext, type StorefrontRequestContext } from '../request-context';
import type { FailureLimits } from './failure-limits';
import { SignedInFailureLimit } from './signed-in-failure-limit.interceptor';

class WrongCodeError extends DomainError {
  readonly reason = 'wrong_code';
}
class NoRowError extends DomainError {
  readonly reason = 'no_row';
}
class BusyError extends DomainError {
  readonly reason = 'busy';
}

const edge = new EdgeErrors([
  edgeRule(WrongCodeError, () => ValidationFailedError.forField('code', 'validation.invalid')),
  edgeRule(BusyError, () => new TooManyAttemptsError(5)),
]);
const renderer = new ErrorRenderer(new Translator({ defaultLanguage: 'en' } as AppConfig), edge);

/** Whether the interceptor counts `error` as a failure of the signed-in user (what it hands FailureLimits.run). */
async function counted(error: unknown): Promise<boolean> {
  let isFailure: ((e: unknown) => boolean) | undefined;
  const limits = {
    signedInRule: () => ({ key: 'k', limit: 1, windowMs: 1 }),
    run: async (_rules: unknown, check: (e: unknown) => boolean, work: () => Promise<unknown>) => {
      isFailure = check;
      return work();
    },
  } as unknown as FailureLimits;
  const request = {};
  setStorefrontContext(request, { user: { id: 7, channelId: 1 } } as unknown as StorefrontRequestContext);
  const context = {
    switchToHttp: () => ({ getRequest: () => request }),
    getClass: () => ({ name: 'C' }),
    getHandler: () => ({ name: 'h' }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => throwError(() => error) };
  await expect(lastValueFrom(new SignedInFailureLimit(limits, renderer).intercept(context, next))).rejects.toBe(error);
  return isFailure!(error);
}

describe('what the signed-in failure limit counts', () => {
  it('counts a domain error the edge table answers with a 4xx (a wrong SMS code)', async () => {
    expect(await counted(new WrongCodeError())).toBe(true);
  });

  it('counts a domain error the edge table has no row for, so a gap in the table cannot open the limit', async () => {
    expect(await counted(new NoRowError())).toBe(true);
  });

  it('counts a 4xx refusal of the lib (not found)', async () => {
    expect(await counted(new NotFoundError())).toBe(true);
  });

  it('does not count a domain error the edge table answers with a 429', async () => {
    expect(await counted(new BusyError())).toBe(false);
  });

  it('does not count a refusal by a limit (429)', async () => {
    expect(await counted(new TooManyAttemptsError(5))).toBe(false);
  });

  it('does not count a server-side failure', async () => {
    expect(await counted(new Error('database down'))).toBe(false);
  });
});
