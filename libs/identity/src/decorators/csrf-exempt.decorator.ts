import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { CSRF_EXEMPT_EXTENSION } from '@app/common';

export const CSRF_EXEMPT = 'csrfExempt';

/**
 * A state-changing storefront endpoint the real client calls without the CSRF header: login, registration, the
 * logout form flow, 3-D Secure and redirection completion. Use nowhere else. The OpenAPI extension tells the
 * document builder to leave the X-CSRFToken requirement off the operation.
 */
export const CsrfExempt = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(CSRF_EXEMPT, true), ApiExtension(CSRF_EXEMPT_EXTENSION, true));
