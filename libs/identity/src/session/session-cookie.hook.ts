import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { storefrontContextOf } from '../request-context';

/**
 * Writes the session cookie a request decided on (login, logout, sliding renewal), as the one Set-Cookie header
 * of the response, on success and error responses alike. Install on the storefront app before it initialises.
 */
export function installSessionCookieHook(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (request, reply, payload, done) => {
      const cookie = storefrontContextOf(request)?.session.setCookie;
      // One Set-Cookie per response (the client's proxy keeps one): a handler's own cookie (the CSRF token's)
      // wins over a sliding renewal, which the next response carries.
      if (cookie && !reply.hasHeader('set-cookie')) void reply.header('set-cookie', cookie);
      done(null, payload);
    });
}
