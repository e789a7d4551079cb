import { SetMetadata } from '@nestjs/common';

export const CSRF_EXEMPT = 'csrfExempt';

/**
 * A state-changing storefront endpoint the real client calls without the CSRF header: login, registration, the
 * logout form flow, 3-D Secure and redirection completion. Use nowhere else.
 */
export const CsrfExempt = (): ClassDecorator & MethodDecorator => SetMetadata(CSRF_EXEMPT, true);
