import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OPENAPI_FILES } from '../scripts/openapi-documents';
import { checkResponse, type ObservedResponse } from './helpers/openapi-validator';

type Json = Record<string, any>;
const ROOT = join(__dirname, '..');
const documents = Object.fromEntries(
  Object.entries(OPENAPI_FILES).map(([name, file]) => [
    name,
    JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Json,
  ]),
) as Record<keyof typeof OPENAPI_FILES, Json>;

function operations(document: Json): { where: string; operation: Json }[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, operation]) => ({
      where: `${method.toUpperCase()} ${path}`,
      operation: operation as Json,
    })),
  );
}

function walk(node: unknown, visit: (node: Json, at: string) => void, at = '#'): void {
  if (Array.isArray(node))
    node.forEach((item, i) => {
      walk(item, visit, `${at}/${i}`);
    });
  else if (node && typeof node === 'object') {
    visit(node, at);
    for (const [key, value] of Object.entries(node)) walk(value, visit, `${at}/${key}`);
  }
}

const json = (body: unknown, overrides: Partial<ObservedResponse> = {}): ObservedResponse => ({
  method: 'GET',
  path: '/account/loyalty-account-balance/',
  status: 200,
  contentType: 'application/json',
  text: JSON.stringify(body),
  body,
  ...overrides,
});

describe('OpenAPI documents as OpenAPI 3.1', () => {
  it('pass the linter with the committed configuration (redocly.yaml), as npm run lint runs it', async () => {
    const cli = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, 'lint', '--format=summary'], {
      cwd: ROOT,
      timeout: 60_000,
    }).catch((error: unknown) => error as { stdout: string; stderr: string });
    const output = `${stdout}\n${stderr}`;
    expect(output).toContain('Your API descriptions are valid');
    expect(output).not.toMatch(/\d+ (errors?|warnings?)/);
  });

  it.each(Object.keys(OPENAPI_FILES))('%s: nulls are JSON Schema types, not 3.0 `nullable`', (name) => {
    const found: string[] = [];
    walk(documents[name as keyof typeof documents], (node, at) => {
      if ('nullable' in node) found.push(at);
    });
    expect(found).toEqual([]);
  });

  it.each(Object.keys(OPENAPI_FILES))(
    '%s: every operation documents 503, and each error status has an example',
    (name) => {
      const missing: string[] = [];
      for (const { where, operation } of operations(documents[name as keyof typeof documents])) {
        if (!operation.responses['503']) missing.push(`${where}: 503`);
        for (const [status, response] of Object.entries(operation.responses as Json)) {
          if (Number(status) < 400) continue;
          const examples = Object.values((response as Json).content ?? {}).filter(
            (media) => (media as Json).example !== undefined || (media as Json).examples !== undefined,
          );
          if (examples.length === 0) missing.push(`${where}: ${status} example`);
        }
      }
      expect(missing).toEqual([]);
    },
  );

  it('storefront: state-changing operations need X-CSRFToken, except the ones the client calls without it', () => {
    const unsafe = operations(documents.storefront).filter(({ where }) => !where.startsWith('GET'));
    const needs = (operation: Json) => (operation.security as Json[]).map((requirement) => 'csrfToken' in requirement);
    const exempt = unsafe.filter(({ operation }) => !needs(operation).some(Boolean)).map(({ where }) => where);
    expect(exempt.sort()).toEqual(['POST /users/login/', 'POST /users/logout', 'POST /users/registration/']);
    // Where the header is needed, every alternative (cookie, X-Cookie, anonymous) needs it.
    expect(
      unsafe.filter(({ operation }) => needs(operation).some(Boolean) && !needs(operation).every(Boolean)),
    ).toEqual([]);
    expect(Object.keys(documents.storefront.components.securitySchemes).sort()).toEqual([
      'cookieAuth',
      'csrfToken',
      'xCookie',
    ]);
    expect(documents.omnitron.components.securitySchemes.tokenAuth.description).toMatch(/`Token <key>`/);
  });

  it.each(Object.keys(OPENAPI_FILES))(
    '%s: no query parameter carries an example that "Try it out" would send',
    (name) => {
      const withExample: string[] = [];
      for (const { where, operation } of operations(documents[name as keyof typeof documents])) {
        for (const parameter of (operation.parameters ?? []) as Json[]) {
          if (parameter.in === 'query' && (parameter.example ?? parameter.schema?.example) !== undefined)
            withExample.push(`${where} ${parameter.name}`);
        }
      }
      expect(withExample).toEqual([]);
    },
  );
});

describe('the response validator of the e2e suite', () => {
  it('accepts a body that matches the documented schema', () => {
    expect(() => {
      checkResponse('storefront', json({ balance: 12.5 }));
    }).not.toThrow();
  });

  it('refuses a body that does not match, naming the field', () => {
    expect(() => {
      checkResponse('storefront', json({ balance: '12.50' }));
    }).toThrow(/\/balance must be number/);
  });

  it('refuses a status the operation does not document', () => {
    expect(() => {
      checkResponse('storefront', json({ detail: 'x', code: 'conflict' }, { status: 409 }));
    }).toThrow(/answered 409, which the operation does not document/);
  });

  it('refuses a media type the response does not document', () => {
    expect(() => {
      checkResponse('storefront', { ...json({}), contentType: 'text/html', text: '<p>hi</p>' });
    }).toThrow(/text\/html body the operation does not document/);
  });

  it('accepts null where the schema allows it (3.1: a type array or oneOf null)', () => {
    expect(() => {
      checkResponse(
        'storefront',
        json({ card: null, points: 0, errors: null }, { path: '/loyalty-card/loyalty_card/' }),
      );
    }).not.toThrow();
  });

  it('matches paths with and without the trailing slash, and with a query', () => {
    expect(() => {
      checkResponse('storefront', json({ balance: '1' }, { path: '/account/loyalty-account-balance?x=1' }));
    }).toThrow(/must be number/);
  });

  it('leaves out what is not an API operation: back-office pages, metrics, Swagger UI, unknown routes', () => {
    for (const path of ['/admin/', '/admin/js/app.js', '/metrics', '/docs/', '/docs-json', '/no-such-route/']) {
      expect(() => {
        checkResponse('omnitron', json('<html>', { path, status: 404, contentType: 'text/html' }));
      }).not.toThrow();
    }
  });
});
