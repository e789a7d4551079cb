import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ErrorRenderer } from '@app/common';
import { storefrontContextOf } from '../request-context';
import { FailureLimits, isClientFailure } from './failure-limits';

/**
 * For storefront endpoints that need a session: failed requests (4xx other than 429) are limited per signed-in
 * user and endpoint (AUTH_THROTTLE_ACCOUNT_LIMIT per AUTH_THROTTLE_WINDOW_SECONDS). The session is what the
 * endpoint authenticates, so neither a body field (an e-mail naming someone else) nor a stranger can spend this
 * user's budget. Without a signed-in user the endpoint answers 401 by itself and nothing is counted. A lib's domain
 * error (a wrong SMS code, a taken phone) counts as the app's edge table answers it: by that answer's status; one
 * the table has no row for (a bug, answered 500) counts too, so a gap in the table cannot open the limit.
 */
@Injectable()
export class SignedInFailureLimit implements NestInterceptor {
  constructor(
    @Inject(FailureLimits) private readonly limits: FailureLimits,
    @Inject(ErrorRenderer) private readonly renderer: ErrorRenderer,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = storefrontContextOf(context.switchToHttp().getRequest<object>())?.user;
    if (!user) return next.handle();
    const endpoint = `${context.getClass().name}.${context.getHandler().name}`;
    const rule = this.limits.signedInRule(endpoint, user.channelId, user.id);
    const isFailure = (error: unknown) => isClientFailure(this.renderer.toAppError(error));
    return from(this.limits.run([rule], isFailure, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
