/**
 * Holds every response the end-to-end suite receives to the committed OpenAPI documents: the status must be one the
 * operation documents, and a JSON body must match its schema (JSON Schema 2020-12, as OpenAPI 3.1 says). Hooked
 * into `HttpClient`, so every test checks the documents without asking.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export type ApiName = 'storefront' | 'omnitron';

const DOCUMENT_FILES: Record<ApiName, string> = {
  storefront: join(__dirname, '..', '..', 'openapi', 'storefront.json'),
  omnitron: join(__dirname, '..', '..', 'openapi', 'omnitron.json'),
};

/** Not API operations: the back-office pages, Prometheus metrics and Swagger UI itself. */
const NOT_OPERATIONS = [/^\/admin(\/|$)/, /^\/metrics\/?$/, /^\/docs([/-]|$)/];

type Json = Record<string, any>;

interface DocumentedOperation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, Json>;
}

interface LoadedDocument {
  id: string;
  operations: DocumentedOperation[];
}

const ajv = new Ajv2020({
  // OpenAPI adds keywords of its own (`example`, `discriminator`, `xml`) and the document carries paths and
  // operations beside the schemas.
  strict: false,
  allErrors: true,
  validateFormats: true,
});
addFormats(ajv);
// OpenAPI's own format names that JSON Schema does not define: annotations only, as OpenAPI says.
ajv.addFormat('decimal', true);

const documents = new Map<ApiName, LoadedDocument>();
const validators = new Map<string, ValidateFunction>();

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function load(api: ApiName): LoadedDocument {
  const cached = documents.get(api);
  if (cached) return cached;
  const document = JSON.parse(readFileSync(DOCUMENT_FILES[api], 'utf8')) as Json;
  const id = `https://openapi.invalid/${api}.json`;
  ajv.addSchema({ ...document, $id: id }, id);
  const operations: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries(document.paths as Json)) {
    const trimmed = template.replace(/\/$/, '');
    const source = trimmed
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    for (const [method, operation] of Object.entries(item as Json)) {
      if (typeof operation !== 'object' || !('responses' in operation)) continue;
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}/?$`),
        params: (template.match(/\{/g) ?? []).length,
        responses: operation.responses as Record<string, Json>,
      });
    }
  }
  // A literal segment wins over a parameter (`/address/detailed/` before `/address/{pk}/`).
  operations.sort((a, b) => a.params - b.params);
  const loaded = { id, operations };
  documents.set(api, loaded);
  return loaded;
}

function validatorFor(document: LoadedDocument, operation: DocumentedOperation, status: string, media: string) {
  const pointer = ['paths', operation.template, operation.method.toLowerCase(), 'responses', status, 'content', media]
    .map(escapePointer)
    .join('/');
  const key = `${document.id}#/${pointer}/schema`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: key });
    validators.set(key, validate);
  }
  return validate;
}

export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

let validated = 0;

/** Throws when a response of a documented operation is not what its document says. */
export function checkResponse(api: ApiName, response: ObservedResponse): void {
  const path = (response.path.split('?')[0] ?? '').replace(/\/{2,}/g, '/');
  if (NOT_OPERATIONS.some((pattern) => pattern.test(path))) return;
  const method = response.method.toUpperCase();
  const document = load(api);
  const operation = document.operations.find((op) => op.method === method && op.pattern.test(path));
  // Routes that are not documented operations (a wrong method, an unknown path) have nothing to be held to, but
  // they must not succeed: a 2xx there is an undocumented operation, or a path the matching above got wrong.
  if (!operation) {
    if (response.status >= 200 && response.status < 300) {
      throw new Error(
        `OpenAPI: ${method} ${response.path} answered ${response.status}, but ${api} documents no such operation`,
      );
    }
    return;
  }
  const where = `${method} ${response.path} (${api} ${operation.method} ${operation.template})`;
  const status = String(response.status);
  const documentedStatus = [status, `${status[0]}XX`, 'default'].find((s) => s in operation.responses);
  if (!documentedStatus) {
    throw new Error(
      `OpenAPI: ${where} answered ${status}, which the operation does not document ` +
        `(documented: ${Object.keys(operation.responses).join(', ')}). Body: ${response.text.slice(0, 500)}`,
    );
  }
  const content = (operation.responses[documentedStatus].content ?? {}) as Record<string, Json>;
  const media = response.contentType.split(';')[0].trim().toLowerCase();
  if (response.text === '') {
    validated++;
    return;
  }
  if (!(media in content)) {
    throw new Error(
      `OpenAPI: ${where} answered ${status} with a ${media || 'untyped'} body the operation does not document ` +
        `(documented: ${Object.keys(content).join(', ') || 'no body'}). Body: ${response.text.slice(0, 500)}`,
    );
  }
  if (media.includes('json') && content[media].schema) {
    const validate = validatorFor(document, operation, documentedStatus, media);
    if (!validate(response.body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 10)
        .map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
      throw new Error(
        `OpenAPI: ${where} answered ${status} with a body that does not match its schema:\n  ${errors.join('\n  ')}\n` +
          `Body: ${response.text.slice(0, 1000)}`,
      );
    }
  }
  validated++;
}

/**
 * How many responses this test file validated; written where the summary reporter adds them up. Jest gives each
 * test file a fresh module registry, so the count is per file.
 */
export function recordValidatedCount(testFile: string): void {
  const folder = process.env.TEST_OPENAPI_COUNT_DIR;
  if (!folder || validated === 0) return;
  mkdirSync(folder, { recursive: true });
  appendFileSync(join(folder, `${process.pid}.jsonl`), `${JSON.stringify({ file: testFile, validated })}\n`);
  validated = 0;
}
