import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeOperations, nullableTo31 } from './openapi-normalize';

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
  /** Adds the back-office `Authorization: Token <key>` scheme. */
  tokenAuth?: boolean;
  /**
   * Adds the storefront's schemes: the session cookie, its `X-Cookie` stand-in for Swagger UI, and the CSRF header
   * that every state-changing call needs (unless its handler is `@CsrfExempt()`).
   */
  cookieAuth?: boolean;
}

export const CSRF_SCHEME = 'csrfToken';
const COOKIE_SCHEME = 'cookieAuth';
const X_COOKIE_SCHEME = 'xCookie';
/** Set by `@CsrfExempt()` on an operation (identity's decorator); read here to leave the CSRF header off it. */
export const CSRF_EXEMPT_EXTENSION = 'x-csrf-exempt';
const SAFE_METHODS = new Set(['get', 'head', 'options']);

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

type Requirement = Record<string, string[]>;
type Operation = Record<string, unknown> & { security?: Requirement[]; responses: Record<string, unknown> };

/**
 * Storefront security: a session operation takes the cookie or, in Swagger UI (a browser page cannot set Cookie),
 * `X-Cookie`; a state-changing one also needs `X-CSRFToken` equal to the `csrftoken` cookie, and may answer 403.
 */
function withStorefrontSecurity(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const next: Record<string, unknown> = { ...item };
    for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
      if (typeof value !== 'object' || value === null || !('responses' in value)) continue;
      const operation = value as Operation;
      let security = (operation.security ?? []).flatMap((requirement) =>
        COOKIE_SCHEME in requirement
          ? [requirement, { ...withoutKey(requirement, COOKIE_SCHEME), [X_COOKIE_SCHEME]: [] }]
          : [requirement],
      );
      const responses = { ...operation.responses };
      if (!SAFE_METHODS.has(method) && operation[CSRF_EXEMPT_EXTENSION] !== true) {
        security = security.length === 0 ? [{ [CSRF_SCHEME]: [] }] : security.map((r) => ({ ...r, [CSRF_SCHEME]: [] }));
        const own = responses['403'] as { description?: string } | undefined;
        // The CSRF check runs before any handler, so its refusal is the example even where a handler adds its own.
        responses['403'] = {
          description:
            own?.description && !own.description.includes('CSRF')
              ? `${own.description}; or the CSRF check failed`
              : 'CSRF check failed: `X-CSRFToken` missing or not equal to the `csrftoken` cookie',
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/ErrorResponseDto' },
              example: { detail: 'CSRF Failed: CSRF token missing or incorrect.', code: 'csrf_failed' },
            },
          },
        };
      }
      next[method] = { ...operation, security, responses };
    }
    paths[path] = next;
  }
  return { ...document, paths };
}

function withoutKey(requirement: Requirement, key: string): Requirement {
  return Object.fromEntries(Object.entries(requirement).filter(([name]) => name !== key));
}

/**
 * Swagger UI's "Try it out" fills a query parameter with its example, which then filters a list by a value that
 * does not exist; the example moves into the description instead.
 */
function withoutQueryExamples(document: OpenAPIObject): OpenAPIObject {
  const text = JSON.stringify(document.paths);
  const paths = JSON.parse(text, (key, value: unknown) => {
    if (key !== 'parameters' || !Array.isArray(value)) return value;
    return (value as Record<string, unknown>[]).map((parameter) => {
      if (parameter.in !== 'query') return parameter;
      const schema = (parameter.schema ?? {}) as Record<string, unknown>;
      const example = parameter.example ?? schema.example;
      if (example === undefined) return parameter;
      const { example: _e, ...rest } = parameter;
      const { example: _s, ...schemaRest } = schema;
      const description = [
        parameter.description,
        `Example: \`${typeof example === 'string' ? example : JSON.stringify(example)}\``,
      ]
        .filter(Boolean)
        .join('. ');
      return { ...rest, description, schema: schemaRest };
    });
  }) as OpenAPIObject['paths'];
  return { ...document, paths };
}

export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'The server this document is served by')
    .setOpenAPIVersion('3.1.0');
  if (info.tokenAuth) {
    builder.addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'The value is `Token <key>`: the word `Token`, one space, then the `key` that POST /api/v1/auth/login/ ' +
          'answers (for example `Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b`).',
      },
      'tokenAuth',
    );
  }
  if (info.cookieAuth) {
    builder.addCookieAuth(
      'osessionid',
      { type: 'apiKey', in: 'cookie', name: 'osessionid', description: 'The session cookie set at sign-in' },
      COOKIE_SCHEME,
    );
    builder.addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Cookie',
        description:
          'Read as the Cookie header, for Swagger UI (a browser page cannot set Cookie), only when the server runs ' +
          'with ENABLE_X_COOKIE_HEADER=true (off in production). It replaces the Cookie header, so it carries both ' +
          'cookies: `osessionid=<session>; csrftoken=<token>`.',
      },
      X_COOKIE_SCHEME,
    );
    builder.addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-CSRFToken',
        description:
          'The `csrf_token` of GET /csrf_token/ (which also sets it as the `csrftoken` cookie); state-changing calls ' +
          'need the header equal to the cookie. Swagger UI fills it in when "Try it out" gets a token.',
      },
      CSRF_SCHEME,
    );
  }
  const generated = SwaggerModule.createDocument(app, builder.build(), {
    // Stable ids even where a handler forgot its own: `Controller_method`.
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  let document = nullableTo31(generated) as OpenAPIObject;
  if (info.cookieAuth) document = withStorefrontSecurity(document);
  return withTrailingSlashes(withoutQueryExamples(completeOperations(document)));
}

/**
 * Runs in the Swagger UI page (serialised by @nestjs/swagger): a token from GET /csrf_token/ is put into the
 * Authorize dialog's X-CSRFToken at once, so the next state-changing "Try it out" passes the double-submit check
 * (the same answer set the `csrftoken` cookie in the browser).
 */
function fillCsrfTokenFromResponse(response: { url: string; body?: unknown }): unknown {
  const body = response.body as { csrf_token?: unknown } | undefined;
  if (/\/csrf_token\/?(\?|$)/.test(response.url) && typeof body?.csrf_token === 'string') {
    (globalThis as unknown as { ui: { preauthorizeApiKey(name: string, value: string): void } }).ui.preauthorizeApiKey(
      'csrfToken',
      body.csrf_token,
    );
  }
  return response;
}

export function setupOpenApi(app: INestApplication, info: OpenApiInfo): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, info), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: {
      persistAuthorization: true,
      displayOperationId: true,
      ...(info.cookieAuth ? { responseInterceptor: fillCsrfTokenFromResponse } : {}),
    },
  });
}
