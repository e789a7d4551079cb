import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OPENAPI_FILES, renderOpenApiDocuments } from './openapi-documents';

/** `npm run openapi`: writes openapi/storefront.json and openapi/omnitron.json from the built apps. */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const documents = await renderOpenApiDocuments();
  for (const [name, file] of Object.entries(OPENAPI_FILES)) {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, documents[name as keyof typeof OPENAPI_FILES]);
    process.stdout.write(`wrote ${file}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
