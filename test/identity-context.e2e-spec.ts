import { Body, Controller, Delete, type DynamicModule, Get, Module, Post } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { AppConfig, ConfigModule, CoreModule, createHttpApp } from '@app/common';
import { DatabaseModule } from '@app/database';
import {
  CsrfExempt,
  IdentityStorefrontModule,
  installSessionCookieHook,
  newCsrfToken,
  RequestContext,
  SESSION_CURRENCY_KEY,
  SessionService,
  type StorefrontRequestContext,
} from '@app/identity';
import { createTestDatabase } from './helpers/database';
import { HttpClient } from './helpers/http';
import { sessionIdOf } from './helpers/identity';
import { testEnv } from './helpers/test-app';

class CurrencyDto {
  @IsString()
  @MaxLength(3)
  currency!: string;
}

/** A later feature's controller, as seen by the identity layer: it only asks for the request context. */
@Controller('ctx')
class ContextProbeController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  show(@RequestContext() ctx: StorefrontRequestContext) {
    return { channel: ctx.channel.id, currency: ctx.currency, language: ctx.language, user: ctx.user?.id ?? null };
  }

  @Post('currency')
  async setCurrency(@RequestContext() ctx: StorefrontRequestContext, @Body() dto: CurrencyDto) {
    await this.sessions.set(ctx.session, ctx.channel.id, SESSION_CURRENCY_KEY, dto.currency);
    return { ok: true };
  }

  @Delete()
  remove() {
    return { deleted: true };
  }

  @Post('exempt')
  @CsrfExempt()
  exempt() {
    return { ok: true };
  }
}

@Module({})
class ContextProbeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ContextProbeModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, CoreModule.forApp('probe'), IdentityStorefrontModule],
      controllers: [ContextProbeController],
    };
  }
}

describe('storefront request context', () => {
  let app: Awaited<ReturnType<typeof createHttpApp>>;
  let http: HttpClient;

  beforeAll(async () => {
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: await createTestDatabase() }));
    app = await createHttpApp(ContextProbeModule.forRoot(config) as never, {
      config,
      openApi: { title: 'probe', description: 'probe', version: '1' },
      bufferLogs: false,
      configure: installSessionCookieHook,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    http = new HttpClient((await app.getUrl()).replace('[::1]', '127.0.0.1'));
  });

  afterAll(() => app.close());

  it('gives a visitor the channel default currency and the Accept-Language language', async () => {
    const response = await http.get('/ctx/', { 'Accept-Language': 'de-DE,en;q=0.5' });
    expect(response.body).toEqual({ channel: 1, currency: 'try', language: 'de', user: null });
    expect((await http.get('/ctx/', { 'Accept-Language': 'undefined' })).body.language).toBe('tr');
  });

  it('takes the currency from x-currency, then pz-currency, then the session; skipping unknown and undefined', async () => {
    const token = newCsrfToken();
    const set = await http.request('/ctx/currency/', {
      json: { currency: 'eur' },
      headers: { Cookie: `csrftoken=${token}`, 'X-CSRFToken': token },
    });
    expect(set.status).toBe(201);
    const session = sessionIdOf(set);
    const currency = async (headers: Record<string, string>) => (await http.get('/ctx/', headers)).body.currency;
    expect(await currency({ Cookie: `osessionid=${session}` })).toBe('eur');
    expect(await currency({ Cookie: `osessionid=${session}; pz-currency=usd` })).toBe('usd');
    expect(await currency({ Cookie: `osessionid=${session}; pz-currency=usd`, 'x-currency': 'TRY' })).toBe('try');
    expect(await currency({ Cookie: `osessionid=${session}; pz-currency=undefined`, 'x-currency': 'undefined' })).toBe(
      'eur',
    );
    expect(await currency({ Cookie: 'pz-currency=gbp', 'x-currency': 'xxx' })).toBe('try');
  });

  it('guards every state-changing method with CSRF, JSON as text/plain included; exemptions by decorator', async () => {
    const token = newCsrfToken();
    const bare = await http.request('/ctx/', { method: 'DELETE', raw: '{}', contentType: 'text/plain;charset=UTF-8' });
    expect(bare.status).toBe(403);
    const paired = await http.request('/ctx/', {
      method: 'DELETE',
      raw: '{}',
      contentType: 'text/plain;charset=UTF-8',
      headers: { Cookie: `csrftoken=${token}`, 'x-csrftoken': token },
    });
    expect(paired.status).toBe(200);
    expect((await http.request('/ctx/exempt/', { json: {} })).status).toBe(201);
  });

  it('keeps health and metrics free of the context (no session, no CSRF)', async () => {
    const health = await http.get('/health/');
    expect(health.status).toBe(200);
    expect(health.headers.getSetCookie()).toEqual([]);
  });
});
