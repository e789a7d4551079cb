import { AppConfig, buildOpenApiDocument } from '@app/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createOmnitronPreview, OMNITRON_OPENAPI } from '../apps/omnitron/src/omnitron.app';
import { createStorefrontPreview, STOREFRONT_OPENAPI } from '../apps/storefront/src/storefront.app';

export const OPENAPI_FILES = { storefront: 'openapi/storefront.json', omnitron: 'openapi/omnitron.json' } as const;

/** Both apps' OpenAPI documents, as committed under openapi/ (stable key order, trailing newline). */
export async function renderOpenApiDocuments(): Promise<Record<keyof typeof OPENAPI_FILES, string>> {
  const config = AppConfig.fromEnv({ DATABASE_URL: 'postgres://unused@127.0.0.1/unused' });
  const render = (doc: OpenAPIObject): string => `${JSON.stringify(doc, null, 2)}\n`;
  const storefront = await createStorefrontPreview(config);
  const omnitron = await createOmnitronPreview(config);
  try {
    return {
      storefront: render(buildOpenApiDocument(storefront, STOREFRONT_OPENAPI)),
      omnitron: render(buildOpenApiDocument(omnitron, OMNITRON_OPENAPI)),
    };
  } finally {
    await Promise.all([storefront.close(), omnitron.close()]);
  }
}
