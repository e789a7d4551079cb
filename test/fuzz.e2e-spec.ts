import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerQueryService } from '@app/ledger';
import { createProduct } from './helpers/checkout';
import { fuzzBody, type FuzzContext, fuzzParameterValue, fuzzPathValue, Rng, seedOf } from './helpers/fuzz';
import type { HttpClient } from './helpers/http';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newCustomer, newStaff } from './helpers/fixtures';

/**
 * Issue 18, item 1: no input gives a 5xx. Every operation of both committed OpenAPI documents gets a bounded,
 * seeded set of hostile requests (wrong types, nulls, deep nesting, long and odd strings, NUL and unpaired
 * surrogates, numbers past every column) from three callers: anonymous, a signed-in customer and a staff superuser.
 * No answer may be a 5xx, every answer must be one the document describes (the client validates each against it),
 * and the ledger's audit must be clean afterwards. `FUZZ_SEED=<n>` replays another set; a failure names its seed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 18);
/** Requests per operation and caller: about 2,600 requests in all, some 15 s. */
const CASES_PER_CALLER = 10;
const CH = 1;

type Json = Record<string, any>;
type Caller = 'anonymous' | 'customer' | 'staff';

/*
 * Operations the fuzzer leaves alone because they would end its own session or token (the callers must stay signed
 * in for the rest of the run), or sign the customer in as someone else. They are fuzzed anonymously only.
 */
const ENDS_OWN_SESSION = new Set(['POST /users/logout', 'POST /api/v1/auth/logout/']);
const SIGNS_IN = new Set(['POST /users/login/', 'POST /users/registration/']);

interface Operation {
  method: string;
  template: string;
  operation: Json;
}

function operationsOf(document: Json): Operation[] {
  const found: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      if (typeof operation === 'object' && operation && 'responses' in operation) {
        found.push({ method: method.toUpperCase(), template, operation: operation as Json });
      }
    }
  }
  return found;
}

function readDocument(api: 'storefront' | 'omnitron'): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', 'openapi', `${api}.json`), 'utf8')) as Json;
}

interface Outcome {
  requests: number;
  statuses: Map<number, number>;
  problems: string[];
}

describe(`fuzz: no input gives a 5xx (seed ${SEED})`, () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  const headers: Record<'storefront' | 'omnitron', Record<Caller, Record<string, string>>> = {
    storefront: { anonymous: {}, customer: {}, staff: {} },
    omnitron: { anonymous: {}, customer: {}, staff: {} },
  };
  let fixtureIds: string[] = [];

  beforeAll(async () => {
    // Limits raised so that a thousand hostile logins and loyalty-card posts are judged on their input, not counted.
    const env = {
      AUTH_THROTTLE_IP_LIMIT: '100000',
      AUTH_THROTTLE_ACCOUNT_LIMIT: '10000',
      AUTH_THROTTLE_ACCOUNT_CEILING: '100000',
      SMS_RESEND_INTERVAL_MS: '0',
      SMS_SENDS_PER_HOUR_MAX: '100',
    };
    omnitron = await startTestApp('omnitron', { env });
    storefront = await startTestApp('storefront', { env, databaseUrl: omnitron.config.databaseUrl });
    headers.omnitron.staff = (await newStaff(omnitron, { superuser: true })).headers;
    // Omnitron has no customers: its second caller is a channel-limited staff user (the 403 paths).
    const limited = await newStaff(omnitron, { channels: [CH] });
    headers.omnitron.customer = { Authorization: `Token ${limited.token}`, 'Accept-Language': 'tr' };
    headers.omnitron.anonymous = {};
    const customer = await newCustomer(storefront);
    headers.storefront.customer = customer.headers;
    // The storefront's staff has no session of its own: a CSRF pair without a session, as a browser tab has.
    const csrf = (await storefront.http.get<{ csrf_token: string }>('/csrf_token/')).body.csrf_token;
    headers.storefront.staff = { Cookie: `csrftoken=${csrf}`, 'X-CSRFToken': csrf, 'Accept-Language': 'de' };
    headers.storefront.anonymous = {};

    // Rows for the plausible ids to find: a product in the basket, a store-credit account with money.
    const product = await createProduct(storefront, '25.00');
    await customer.json('POST', '/baskets/basket/', { product, quantity: 1 });
    const account = await omnitron.http.request<{ pk: number }>(`/api/v1/remote/${CH}/loyalty_account/`, {
      json: { user: customer.userId, currency: 'try', balance: '100.00' },
      headers: headers.omnitron.staff,
    });
    fixtureIds = [String(CH), String(product), String(account.body.pk), String(customer.userId), '1', '2'];
  });

  afterAll(async () => {
    await storefront?.close();
    await omnitron?.close();
  });

  async function fuzz(api: 'storefront' | 'omnitron', http: HttpClient): Promise<Outcome> {
    const document = readDocument(api);
    const ctx: FuzzContext = { document, fixtureIds };
    const outcome: Outcome = { requests: 0, statuses: new Map(), problems: [] };
    for (const { method, template, operation } of operationsOf(document)) {
      const name = `${method} ${template}`;
      if (ENDS_OWN_SESSION.has(name)) continue;
      for (const caller of ['anonymous', 'customer', 'staff'] as const) {
        if (caller !== 'anonymous' && SIGNS_IN.has(name)) continue;
        const rng = new Rng(seedOf(`${api} ${name} ${caller}`, SEED));
        for (let i = 0; i < CASES_PER_CALLER; i++) {
          const requestHeaders = { ...headers[api][caller] };
          let path = template.replace(/\{[^}]+\}/g, (param) =>
            param === '{channel_id}' && rng.chance(0.6) ? String(CH) : fuzzPathValue(rng, ctx),
          );
          const query = new URLSearchParams();
          for (const parameter of (operation.parameters ?? []) as Json[]) {
            if (parameter.in !== 'query' && parameter.in !== 'header') continue;
            const value = fuzzParameterValue(rng, ctx, parameter);
            if (value === undefined) continue;
            if (parameter.in === 'header') requestHeaders[parameter.name as string] = value;
            else query.append(parameter.name as string, value);
          }
          if (rng.chance(0.1))
            query.append(rng.pick(['page', 'page_size', 'ordering', 'x']), rng.pick(['-1', '%00', '1e9']));
          if ([...query].length > 0) path += `?${query.toString()}`;
          const body = method === 'GET' ? undefined : fuzzBody(rng, ctx, operation);
          const label = `${caller} ${method} ${path.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 300) ?? ''}`;
          outcome.requests++;
          try {
            const response = await http.request(path, { method, headers: requestHeaders, ...body });
            outcome.statuses.set(response.status, (outcome.statuses.get(response.status) ?? 0) + 1);
            if (response.status >= 500)
              outcome.problems.push(`${response.status} ${label}: ${response.text.slice(0, 200)}`);
          } catch (error) {
            // The client throws when an answer is not one the document describes (status or schema).
            outcome.problems.push(`${label}: ${(error as Error).message.slice(0, 600)}`);
          }
        }
      }
    }
    return outcome;
  }

  it('answers every hostile request of every operation with a documented status below 500, and the ledger stays sound', async () => {
    const started = Date.now();
    const results = [await fuzz('storefront', storefront.http), await fuzz('omnitron', omnitron.http)];
    const requests = results.reduce((n, r) => n + r.requests, 0);
    const statuses = new Map<number, number>();
    for (const r of results) for (const [s, n] of r.statuses) statuses.set(s, (statuses.get(s) ?? 0) + n);
    process.stdout.write(
      `fuzz: seed ${SEED}, ${requests} requests in ${Date.now() - started} ms, statuses ` +
        `${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`,
    );
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
    // The requests reached the handlers, not only the guards: each app both accepted some and refused some as input.
    for (const r of results) {
      const count = (from: number, to: number) =>
        [...r.statuses].filter(([s]) => s >= from && s < to).reduce((n, [, k]) => n + k, 0);
      expect(count(200, 300)).toBeGreaterThan(r.requests / 50);
      expect(count(400, 401)).toBeGreaterThan(r.requests / 10);
    }
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants()).toEqual([]);
    // The callers are still who they were: nothing signed them out.
    expect((await storefront.http.get('/current_user/', headers.storefront.customer)).status).toBe(200);
    expect((await omnitron.http.get(`/api/v1/remote/${CH}/loyalty_account/`, headers.omnitron.staff)).status).toBe(200);
    expect(await omnitron.app.get(DataSource).query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
