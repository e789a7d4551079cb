import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, createHttpApp, createPreviewApp, type OpenApiInfo } from '@app/common';
import { type AppOverrides, OmnitronModule } from './omnitron.module';
import { registerAdminUi } from './admin-ui/admin-ui';

export const OMNITRON_OPENAPI: OpenApiInfo = {
  title: 'Loyalty service — back-office (omnitron) API',
  description:
    'The back-office API for staff: loyalty accounts, transfers, refunds and settings of each sales channel, under ' +
    '`/api/v1/remote/{channel_id}/`. Authenticate with `Authorization: Token <key>`.',
  version: '1.0.0',
  tokenAuth: true,
};

export function createOmnitronApp(
  config: AppConfig,
  bufferLogs = true,
  overrides: AppOverrides = {},
): Promise<NestFastifyApplication> {
  return createHttpApp(OmnitronModule.forRoot(config, overrides) as never, {
    config,
    openApi: OMNITRON_OPENAPI,
    bufferLogs,
    configure: registerAdminUi,
  });
}

export function createOmnitronPreview(config: AppConfig): Promise<INestApplication> {
  return createPreviewApp(OmnitronModule.forRoot(config) as never);
}
