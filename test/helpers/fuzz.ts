/**
 * A seeded generator of adversarial requests, driven by an OpenAPI 3.1 document: for each operation, path values,
 * query values and bodies built from the operation's own schemas, with each value either plausible (the schema's
 * example or enum, a fixture id) or hostile (wrong type, null, deep nesting, long and odd strings, NUL and unpaired
 * surrogates, numbers past every column). A few dozen lines of our own rather than a property-testing library: the
 * test needs a bounded list of requests per operation, not shrinking, and the list must be the same on every run.
 */

type Json = Record<string, any>;

/** mulberry32: small, fast and good enough to pick cases; the same seed gives the same requests. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A string hashed to a seed, so that each operation's cases do not shift when another operation is added. */
export function seedOf(text: string, base: number): number {
  let h = base ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}

export function nested(depth: number, leaf: unknown = 'x'): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/** Strings no form of ours expects: each has broken something somewhere once. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\ud83d\ude00',
  'İıŞş',
  '\u202e\u200b',
  'a'.repeat(300),
  'b'.repeat(5000),
  '%00',
  '{0}{max}',
  "' OR 1=1 --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '1e3',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '2147483648',
  '-2147483649',
  '99999999999999999999',
  '999999999999.99',
  '1000000000000.00',
  '0.001',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  '2026-02-30',
  '2026-01-01T25:00:00Z',
  'true',
  'null',
  '[]',
  '{}',
  'a@b',
  'a\ud800@example.com',
];

export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  1.5,
  -0.01,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  Number.MAX_SAFE_INTEGER,
  1e21,
  1e308,
];

/** Any hostile value, of any type. */
export function hostileValue(rng: Rng): unknown {
  switch (rng.int(8)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
    case 3:
      return rng.pick(HOSTILE_NUMBERS);
    case 4:
      return rng.pick([[], [null], ['x', 1], {}, { a: null }, Array.from({ length: 500 }, (_, i) => i)]);
    case 5:
      // Deep, yet within the body depth limit: it reaches the DTOs and the handlers.
      return nested(20 + rng.int(10));
    default:
      return rng.pick(HOSTILE_STRINGS);
  }
}

export interface FuzzContext {
  document: Json;
  /** Ids that exist, so that some requests get past the lookup to the code behind it. */
  fixtureIds: readonly string[];
}

function resolve(document: Json, schema: Json | undefined): Json {
  let current = schema ?? {};
  for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce<Json>((node, key) => node?.[key] as Json, document) ?? {};
  }
  if (Array.isArray(current.allOf) && current.allOf.length === 1) return resolve(document, current.allOf[0] as Json);
  return current;
}

/** A value the schema allows, roughly: its example, enum or default, or a simple value of its type. */
function plausibleValue(rng: Rng, ctx: FuzzContext, raw: Json | undefined, depth = 0): unknown {
  const schema = resolve(ctx.document, raw);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return rng.pick(schema.enum);
  if (schema.example !== undefined && rng.chance(0.7)) return schema.example;
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  if (schema.properties || type === 'object') return depth > 3 ? {} : bodyFromSchema(rng, ctx, schema, depth + 1, 0);
  switch (type) {
    case 'integer':
    case 'number':
      return rng.chance(0.5) ? Number(rng.pick(ctx.fixtureIds)) : 1 + rng.int(100);
    case 'boolean':
      return rng.chance(0.5);
    case 'array':
      return depth > 3 ? [] : [plausibleValue(rng, ctx, schema.items as Json, depth + 1)];
    default:
      if (schema.format === 'email') return `fuzz${rng.int(1_000_000)}@example.com`;
      if (schema.format === 'date') return '1990-12-10';
      return rng.chance(0.5) ? rng.pick(ctx.fixtureIds) : '20.00';
  }
}

/** An object for the schema, each property plausible, hostile or left out. */
function bodyFromSchema(rng: Rng, ctx: FuzzContext, schema: Json, depth: number, hostility: number): Json {
  const body: Json = {};
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Json)) {
    const roll = rng.next();
    if (roll < hostility) body[name] = hostileValue(rng);
    else if (roll < hostility + (1 - hostility) * 0.8) body[name] = plausibleValue(rng, ctx, property as Json, depth);
  }
  return body;
}

export type FuzzBody = { json: unknown } | { form: Record<string, string> } | { raw: string; contentType: string };

/** A body for an operation's request schema: mostly a mutated object, at times a wholly wrong body. */
export function fuzzBody(rng: Rng, ctx: FuzzContext, operation: Json): FuzzBody | undefined {
  const content = (operation.requestBody?.content ?? {}) as Json;
  const type = Object.keys(content)[0];
  if (!type) return rng.chance(0.3) ? { json: hostileValue(rng) } : undefined;
  const schema = resolve(ctx.document, content[type]?.schema as Json);
  const roll = rng.int(10);
  if (roll === 0) return { json: rng.pick([null, [], 'text', 42, true, nested(40)]) };
  if (roll === 1) {
    return {
      raw: rng.pick(['{', '{"a":', '[1,]', '\u0000', '{"a":"\\ud800"}', '"x"', `{"a":${'9'.repeat(400)}}`]),
      contentType: rng.pick(['application/json', 'text/plain', 'application/xml']),
    };
  }
  const body = bodyFromSchema(rng, ctx, schema, 0, 0.35);
  if (rng.chance(0.2)) {
    // defineProperty: an assignment to `__proto__` would set the prototype, not send the key.
    const key = rng.pick(['__proto__', 'constructor', 'k\u0000', 'k\ud800', 'formType']);
    Object.defineProperty(body, key, {
      value: hostileValue(rng),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (type === 'application/x-www-form-urlencoded' && rng.chance(0.7)) {
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(body))
      form[key] = typeof value === 'string' ? value : JSON.stringify(value);
    return { form };
  }
  return { json: body };
}

/** A path value: an id that exists, or one that cannot exist. Percent-encoded as a client would send it. */
export function fuzzPathValue(rng: Rng, ctx: FuzzContext): string {
  if (rng.chance(0.35)) return rng.pick(ctx.fixtureIds);
  return rng.pick([
    '0',
    '-1',
    '2147483648',
    '99999999999999999999',
    'abc',
    '1.5',
    '%00',
    '%ED%A0%80',
    '%F0%9F%98%80',
    '%25',
    encodeURIComponent('x'.repeat(150)),
    encodeURIComponent("' OR 1=1 --"),
  ]);
}

/** A query or header value for a documented parameter. */
export function fuzzParameterValue(rng: Rng, ctx: FuzzContext, parameter: Json): string | undefined {
  if (rng.chance(0.25)) return undefined;
  const value = rng.chance(0.5) ? plausibleValue(rng, ctx, parameter.schema as Json) : hostileValue(rng);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (parameter.in === 'header') {
    // Headers are ISO-8859-1 bytes on the wire: fetch refuses anything else before sending.
    return /^[\x20-\x7e]*$/.test(text) ? text.slice(0, 300) : 'x'.repeat(rng.pick([0, 1, 256, 300]));
  }
  return text;
}
