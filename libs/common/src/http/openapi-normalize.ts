import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Finishing steps on the document @nestjs/swagger generates, so that it is valid OpenAPI 3.1 (which it declares)
 * and tells a client every error status. @nestjs/swagger writes nulls the 3.0 way (`nullable: true`), which
 * 3.1 (plain JSON Schema 2020-12) ignores: a validator then refuses the `null` the API really sends.
 */

type Json = Record<string, unknown>;
type Operation = Json & { responses: Record<string, Json>; requestBody?: unknown; security?: unknown[] };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{type: T, nullable: true}` becomes `{type: [T, 'null']}`; a nullable `$ref` (or `allOf: [$ref]`) a `oneOf`. */
export function nullableTo31(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableTo31);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'nullable') out[key] = nullableTo31(value);
  if (node.nullable !== true) return out;
  const allOf = out.allOf;
  if (typeof out.$ref === 'string' || (Array.isArray(allOf) && allOf.length === 1)) {
    const target = typeof out.$ref === 'string' ? { $ref: out.$ref } : (allOf as unknown[])[0];
    const { $ref: _ref, allOf: _allOf, type: _type, ...rest } = out;
    return { ...rest, oneOf: [target, { type: 'null' }] };
  }
  if (typeof out.type === 'string') out.type = [out.type, 'null'];
  else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...(out.type as unknown[]), 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponseDto' };

/** The example and the default description of each error status the apps answer (English messages). */
const ERROR_STATUSES: Record<string, { description: string; example: Json }> = {
  '400': {
    description: 'Invalid input: `field_errors` names the fields',
    example: {
      detail: 'Some fields are invalid.',
      code: 'invalid',
      field_errors: { amount: ['A valid amount is required, such as "20.00".'] },
    },
  },
  '401': {
    description: 'Not signed in, or no valid credentials',
    example: { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' },
  },
  '403': {
    description: 'Not allowed',
    example: { detail: 'You do not have permission to perform this action.', code: 'permission_denied' },
  },
  '404': { description: 'Not found', example: { detail: 'Not found.', code: 'not_found' } },
  '409': {
    description: 'Conflicts with the current state',
    example: { detail: 'The request conflicts with the current state.', code: 'conflict' },
  },
  '413': {
    description: 'The body is larger than BODY_LIMIT_BYTES',
    example: { detail: 'The request body is too large.', code: 'payload_too_large' },
  },
  '415': {
    description: 'The body is neither JSON nor form-encoded',
    example: { detail: 'Unsupported media type in request.', code: 'unsupported_media_type' },
  },
  '429': {
    description: 'Too many attempts; see Retry-After',
    example: { detail: 'Request was throttled. Expected available in 60 seconds.', code: 'throttled' },
  },
  '503': {
    description:
      'PostgreSQL or Redis did not answer (`database_unavailable`, `redis_unavailable`; see Retry-After), or the ' +
      'instance is shutting down (`shutting_down`): nothing was changed, the request may be sent again',
    example: { detail: 'The service is temporarily unavailable.', code: 'database_unavailable' },
  },
};

/** Statuses any operation can answer: a refused request during a drain, or an unavailable database. */
const EVERY_OPERATION = ['503'];
/** Statuses of any operation that reads a body: it may be malformed, too large or of another media type. */
const WITH_BODY = ['400', '413', '415'];
/** A query value can be invalid (a field error), whatever else the operation answers. */
const WITH_QUERY = ['400'];
/** A path value can name nothing: an id that is not one, beyond its column, or not valid UTF-8. */
const WITH_PATH = ['404'];

function hasParameter(operation: Operation, where: 'query' | 'path'): boolean {
  return (
    Array.isArray(operation.parameters) &&
    (operation.parameters as unknown[]).some((p) => isObject(p) && p.in === where)
  );
}

/**
 * An example for an error schema of its own (field errors keyed by field, readiness' `unavailable`): its
 * properties' examples, with the status's `detail` and `code` where the schema has them.
 */
function exampleOf(schema: unknown, components: Record<string, Json>, status: Json): Json | undefined {
  if (!isObject(schema)) return undefined;
  const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
  const target = ref === undefined ? schema : components[ref];
  if (!isObject(target) || !isObject(target.properties)) return undefined;
  const example: Json = {};
  for (const [name, property] of Object.entries(target.properties)) {
    if (name in status) example[name] = status[name];
    else if (isObject(property) && property.example !== undefined) example[name] = property.example;
  }
  return Object.keys(example).length > 0 ? example : undefined;
}

function withErrorExample(status: string, response: Json, components: Record<string, Json>): Json {
  const known = ERROR_STATUSES[status];
  if (!known) return response;
  const content = isObject(response.content) ? response.content : { 'application/json': { schema: ERROR_SCHEMA } };
  const withExamples: Json = {};
  for (const [type, media] of Object.entries(content)) {
    const entry = isObject(media) ? media : {};
    const own = entry.example !== undefined || entry.examples !== undefined;
    const schema = entry.schema;
    const errorShaped = isObject(schema) && schema.$ref === ERROR_SCHEMA.$ref;
    const example = errorShaped ? known.example : exampleOf(schema, components, known.example);
    withExamples[type] = own || example === undefined ? entry : { ...entry, example };
  }
  return { ...response, description: response.description || known.description, content: withExamples };
}

function completeOperation(operation: Operation, components: Record<string, Json>): Operation {
  const responses: Record<string, Json> = { ...operation.responses };
  const statuses = [
    ...EVERY_OPERATION,
    ...(operation.requestBody ? WITH_BODY : []),
    ...(hasParameter(operation, 'query') ? WITH_QUERY : []),
    ...(hasParameter(operation, 'path') ? WITH_PATH : []),
  ];
  for (const status of statuses) {
    responses[status] ??= { description: ERROR_STATUSES[status].description, content: {} };
    if (!isObject(responses[status].content) || Object.keys(responses[status].content).length === 0)
      responses[status] = { ...responses[status], content: { 'application/json': { schema: ERROR_SCHEMA } } };
  }
  for (const [status, response] of Object.entries(responses))
    responses[status] = withErrorExample(status, response, components);
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  // An operation without a scheme is public; saying so explicitly keeps a document-level default from applying.
  return { ...operation, responses: sorted, security: operation.security ?? [] };
}

/** Adds the statuses every operation can answer, an example to each error response, and explicit security. */
export function completeOperations(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components?.schemas ?? {}) as Record<string, Json>;
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const next: Json = { ...item };
    for (const method of HTTP_METHODS) {
      const operation = (item as Json)[method];
      if (isObject(operation)) next[method] = completeOperation(operation as Operation, components);
    }
    paths[path] = next;
  }
  return { ...document, paths };
}
