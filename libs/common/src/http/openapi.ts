import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
  /** Adds the back-office `Authorization: Token <key>` scheme. */
  tokenAuth?: boolean;
  /** Adds the storefront session cookie scheme. */
  cookieAuth?: boolean;
}

/**
 * Paths are served with and without a trailing slash; the document shows them the way the platform's clients
 * call them: with the slash (`/health/`), except where a path is registered as an exact file name.
 */
function withTrailingSlashes(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const keepAsIs = path.endsWith('/') || path === '/metrics' || path === '/users/logout';
    paths[keepAsIs ? path : `${path}/`] = item;
  }
  return { ...document, paths };
}

export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .setOpenAPIVersion('3.1.0');
  if (info.tokenAuth) {
    builder.addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key> from POST /api/v1/auth/login/' },
      'tokenAuth',
    );
  }
  if (info.cookieAuth)
    builder.addCookieAuth('osessionid', { type: 'apiKey', in: 'cookie', name: 'osessionid' }, 'cookieAuth');
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // Stable ids even where a handler forgot its own: `Controller_method`.
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return withTrailingSlashes(document);
}

export function setupOpenApi(app: INestApplication, info: OpenApiInfo): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, info), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true },
  });
}
