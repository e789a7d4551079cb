import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, createHttpApp, createPreviewApp, type OpenApiInfo } from '@app/common';
import { installSessionCookieHook } from '@app/identity';
import { type AppOverrides, StorefrontModule } from './storefront.module';

export const STOREFRONT_OPENAPI: OpenApiInfo = {
  title: 'Loyalty service — storefront API',
  description:
    'The commerce storefront API: session, account loyalty balance and history, loyalty cards and checkout. ' +
    'Paths end with `/` and answer the same without it. In Swagger UI, send the session as the `X-Cookie` header ' +
    'when the server enables ENABLE_X_COOKIE_HEADER.',
  version: '1.0.0',
  cookieAuth: true,
};

export function createStorefrontApp(
  config: AppConfig,
  bufferLogs = true,
  overrides: AppOverrides = {},
): Promise<NestFastifyApplication> {
  return createHttpApp(StorefrontModule.forRoot(config, overrides) as never, {
    config,
    openApi: STOREFRONT_OPENAPI,
    bufferLogs,
    configure: installSessionCookieHook,
  });
}

export function createStorefrontPreview(config: AppConfig): Promise<INestApplication> {
  return createPreviewApp(StorefrontModule.forRoot(config) as never);
}
