import { Controller, type DynamicModule, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig, ConfigModule, CoreModule, createHttpApp, type OpenApiInfo } from '@app/common';
import { DatabaseModule } from '@app/database';
import { IdentityOmnitronModule, StaffEndpoint, StaffService, SuperuserOnly } from '@app/identity';
import { createTestDatabase } from './helpers/database';
import { HttpClient } from './helpers/http';
import { PASSWORD } from './helpers/identity';
import { backOfficeRoutes } from './helpers/route-table';
import { testEnv } from './helpers/test-app';

/**
 * Global resources (staff users, geography, channels) are superuser-only. No back-office route is one yet, so
 * these probe controllers stand in for them, on the real HTTP stack and guard.
 */
@ApiTags('Probe')
@StaffEndpoint({ superuserOnly: true })
@Controller('api/v1/remote/:channel_id/probe_global')
class GlobalProbeController {
  @Get()
  @ApiOperation({ operationId: 'probeGlobal', summary: 'A global resource' })
  list(): { global: true } {
    return { global: true };
  }
}

@ApiTags('Probe')
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/probe_mixed')
class MixedProbeController {
  @Get('global')
  @SuperuserOnly()
  @ApiOperation({ operationId: 'probeMixedGlobal', summary: 'A global handler in a channel controller' })
  global(): { global: true } {
    return { global: true };
  }

  @Get('channel')
  @ApiOperation({ operationId: 'probeMixedChannel', summary: 'A channel handler' })
  channel(): { channel: true } {
    return { channel: true };
  }
}

@Module({})
class SuperuserProbeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SuperuserProbeModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, CoreModule.forApp('probe'), IdentityOmnitronModule],
      controllers: [GlobalProbeController, MixedProbeController],
    };
  }
}

const PROBE_OPENAPI: OpenApiInfo = { title: 'probe', description: 'probe', version: '0', tokenAuth: true };
const LANG = { 'Accept-Language': 'en' };

describe('superuser-only back-office routes', () => {
  let app: NestFastifyApplication;
  let http: HttpClient;
  let limited: string;
  let superuser: string;

  const get = (path: string, token?: string) =>
    http.get(`/api/v1/remote/1/${path}/`, { ...LANG, ...(token ? { Authorization: `Token ${token}` } : {}) });

  beforeAll(async () => {
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: await createTestDatabase() }));
    app = await createHttpApp(SuperuserProbeModule.forRoot(config) as never, { config, openApi: PROBE_OPENAPI });
    await app.listen({ port: 0, host: '127.0.0.1' });
    http = new HttpClient((await app.getUrl()).replace('[::1]', '127.0.0.1'));
    const staff = app.get(StaffService);
    limited = await staff.issueToken(
      await staff.create({ username: 'limited', password: PASSWORD, superuser: false, channelIds: [1] }),
    );
    superuser = await staff.issueToken(
      await staff.create({ username: 'super', password: PASSWORD, superuser: true, channelIds: [] }),
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a channel-limited staff user with a 403, even through a channel it may use', async () => {
    for (const path of ['probe_global', 'probe_mixed/global']) {
      const response = await get(path, limited);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'permission_denied' });
    }
    expect((await get('probe_mixed/channel', limited)).status).toBe(200);
  });

  it('lets a superuser in and still asks everyone for a token', async () => {
    expect((await get('probe_global', superuser)).body).toEqual({ global: true });
    expect((await get('probe_mixed/global', superuser)).body).toEqual({ global: true });
    expect((await get('probe_global')).status).toBe(401);
  });

  it('marks the routes in the OpenAPI document, where the route-table test reads which answer 403', () => {
    const marked = Object.fromEntries(backOfficeRoutes(app, PROBE_OPENAPI).map((r) => [r.name, r.superuserOnly]));
    expect(marked).toEqual({
      'GET /api/v1/remote/:channel_id/probe_global': true,
      'GET /api/v1/remote/:channel_id/probe_mixed/global': true,
      'GET /api/v1/remote/:channel_id/probe_mixed/channel': false,
    });
  });
});
