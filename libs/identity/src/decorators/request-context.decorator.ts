import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type StorefrontRequestContext, storefrontContextOf } from '../request-context';

/** `{channel, session, user?, currency, language}` of a storefront request (built by StorefrontContextGuard). */
export const RequestContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): StorefrontRequestContext => {
    const found = storefrontContextOf(context.switchToHttp().getRequest<object>());
    if (!found) throw new Error('No storefront request context: is IdentityStorefrontModule imported?');
    return found;
  },
);
