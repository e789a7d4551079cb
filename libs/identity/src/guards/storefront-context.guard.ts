import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig, NotAuthenticatedError, SKIP_REQUEST_CONTEXT, Translator } from '@app/common';
import { CSRF_EXEMPT } from '../decorators/csrf-exempt.decorator';
import { SIGNED_IN } from '../decorators/signed-in.decorator';
import { ChannelUnavailableError, CsrfFailedError } from '../errors';
import { setStorefrontContext } from '../request-context';
import { ChannelService } from '../services/channel.service';
import { parseCookies } from '../services/cookies';
import { CSRF_COOKIE, CSRF_FORM_FIELD, CSRF_HEADER, csrfPasses } from '../services/csrf';
import { resolveCurrency } from '../services/currency';
import { UserService } from '../services/user.service';
import { SessionService } from '../session/session.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Key of the session's chosen currency (set by later features when a customer switches). */
export const SESSION_CURRENCY_KEY = 'currency';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Runs before every storefront handler (a global guard): checks CSRF on state-changing calls, then resolves the
 * channel, the session and its user, the currency and the language into the request context.
 */
@Injectable()
export class StorefrontContextGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ChannelService) private readonly channels: ChannelService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(UserService) private readonly users: UserService,
    @Inject(Translator) private readonly translator: Translator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_REQUEST_CONTEXT, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const xCookie = this.config.enableXCookieHeader ? header(request, 'x-cookie') : undefined;
    const cookies = parseCookies(xCookie ?? header(request, 'cookie'));

    if (!SAFE_METHODS.has(request.method) && !this.reflector.getAllAndOverride<boolean>(CSRF_EXEMPT, targets)) {
      const body = request.body as Record<string, unknown> | undefined;
      const formField = body && typeof body === 'object' ? body[CSRF_FORM_FIELD] : undefined;
      if (!csrfPasses(cookies[CSRF_COOKIE], header(request, CSRF_HEADER), formField)) throw new CsrfFailedError();
    }

    const channel = await this.channels.find(this.config.storefrontChannelId);
    if (!channel) throw new ChannelUnavailableError();
    const session = await this.sessions.load(cookies.osessionid ?? cookies.sessionid, channel.id);
    const user = await this.users.findSessionUser(channel, session.userId, session.storedUserRow);
    const sessionCurrency = session.get(SESSION_CURRENCY_KEY);
    setStorefrontContext(request, {
      channel,
      session,
      user,
      clientIp: request.ip,
      cookies,
      currency: resolveCurrency(
        channel,
        header(request, 'x-currency'),
        cookies['pz-currency'],
        typeof sessionCurrency === 'string' ? sessionCurrency : undefined,
      ),
      language: this.translator.languageOf(request.headers['accept-language']),
    });
    // Before the pipes: an anonymous caller learns that it must sign in, not what its body lacks.
    if (!user && this.reflector.getAllAndOverride<boolean>(SIGNED_IN, targets)) throw new NotAuthenticatedError();
    return true;
  }
}
