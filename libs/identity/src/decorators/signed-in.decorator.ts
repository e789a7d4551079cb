import { SetMetadata } from '@nestjs/common';

export const SIGNED_IN = 'signedIn';

/**
 * A storefront controller or handler for signed-in customers only: an anonymous request answers 401
 * `not_authenticated` from the context guard, before its query or body is validated (guards run before pipes).
 */
export const SignedIn = (): ClassDecorator & MethodDecorator => SetMetadata(SIGNED_IN, true);
