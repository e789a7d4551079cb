import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FILES, renderOpenApiDocuments } from '../scripts/openapi-documents';

type Operation = { operationId?: string; summary?: string; tags?: string[]; responses?: Record<string, unknown> };

describe('OpenAPI documents', () => {
  let documents: Awaited<ReturnType<typeof renderOpenApiDocuments>>;

  beforeAll(async () => {
    documents = await renderOpenApiDocuments();
  });

  it.each(Object.entries(OPENAPI_FILES))(
    'the committed %s document is up to date (run `npm run openapi`)',
    (name, file) => {
      const committed = readFileSync(join(__dirname, '..', file), 'utf8');
      expect(committed).toBe(documents[name as keyof typeof OPENAPI_FILES]);
    },
  );

  it.each(Object.keys(OPENAPI_FILES))('every %s operation has an id, a summary, a tag and responses', (name) => {
    const doc = JSON.parse(documents[name as keyof typeof OPENAPI_FILES]) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(0);
    const incomplete = operations
      .filter(({ op }) => !op.operationId || !op.summary || !op.tags?.length || !op.responses)
      .map(({ where }) => where);
    expect(incomplete).toEqual([]);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
