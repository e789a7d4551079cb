import { SetMetadata } from '@nestjs/common';

export const SKIP_REQUEST_CONTEXT = 'skipRequestContext';

/**
 * Marks infrastructure endpoints (health, metrics) that answer without a channel, session or CSRF check, so they
 * keep working when the database is down and never create sessions.
 */
export const SkipRequestContext = (): ClassDecorator & MethodDecorator => SetMetadata(SKIP_REQUEST_CONTEXT, true);
