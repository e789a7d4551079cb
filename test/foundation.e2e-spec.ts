import { AppConfig, createHttpApp } from '@app/common';
import { createTestDatabase } from './helpers/database';
import { HttpClient } from './helpers/http';
import { ProbeRootModule } from './helpers/probe.module';
import { startTestApp, testEnv, type TestApp } from './helpers/test-app';

describe('HTTP conventions (both apps share them)', () => {
  let probe: Awaited<ReturnType<typeof createHttpApp>>;
  let http: HttpClient;

  beforeAll(async () => {
    const config = AppConfig.fromEnv(testEnv({ DATABASE_URL: await createTestDatabase(), BODY_LIMIT_BYTES: '2048' }));
    probe = await createHttpApp(ProbeRootModule.forRoot(config) as never, {
      config,
      openApi: { title: 'probe', description: 'probe', version: '1' },
    });
    await probe.listen({ port: 0, host: '127.0.0.1' });
    http = new HttpClient(await probe.getUrl());
  });

  afterAll(() => probe.close());

  it('answers a path with and without its trailing slash', async () => {
    expect((await http.request('/probe/', { json: { name: 'a' } })).status).toBe(201);
    expect((await http.request('/probe', { json: { name: 'a' } })).status).toBe(201);
  });

  it('reads JSON, form-encoded bodies and JSON sent as text/plain alike', async () => {
    const json = await http.request('/probe/', { json: { name: 'ab', amount: '20.50' } });
    const form = await http.request('/probe/', { form: { name: 'ab', amount: '20.50' } });
    const text = await http.request('/probe/', {
      raw: '{"name":"ab","amount":"20.50"}',
      contentType: 'text/plain;charset=UTF-8',
    });
    for (const response of [json, form, text]) {
      expect(response.body).toEqual({ body: { name: 'ab', amount: '20.50' }, amount_minor: '2050' });
    }
  });

  it('ignores unknown body fields instead of refusing them', async () => {
    const response = await http.request('/probe/', { json: { name: 'ab', formType: 'login', captchaValidated: true } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ body: { name: 'ab' }, amount_minor: null });
  });

  it('refuses a malformed JSON body with a 400 in the error shape', async () => {
    const response = await http.request('/probe/', { raw: '{"name": ', headers: { 'Accept-Language': 'en' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: 'The request body could not be parsed.', code: 'parse_error' });
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await http.request('/probe/', { json: { name: 'x'.repeat(4096) } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'payload_too_large' });
  });

  describe('reports validation failures per field, translated', () => {
    it('refuses a name of 7 characters (at most 5), in English for en-us', async () => {
      const en = await http.request('/probe/', { json: { name: 'toolong' }, headers: { 'Accept-Language': 'en-us' } });
      expect(en.status).toBe(400);
      expect(en.body).toEqual({
        detail: 'Some fields are invalid.',
        code: 'invalid',
        field_errors: { name: ['Ensure this field has no more than 5 characters.'] },
      });
    });

    it('refuses a missing name, in German for de', async () => {
      const missing = await http.request('/probe/', { json: {}, headers: { 'Accept-Language': 'de' } });
      expect(missing.body).toMatchObject({ field_errors: { name: ['Dieses Feld ist erforderlich.'] } });
    });

    it('refuses an amount with three decimals (1.005)', async () => {
      const amount = await http.request('/probe/', {
        json: { name: 'a', amount: '1.005' },
        headers: { 'Accept-Language': 'en' },
      });
      expect(amount.body).toMatchObject({
        field_errors: { amount: ['Ensure that there are no more than 2 decimal places.'] },
      });
    });
  });

  it.each([
    ['de', 'Nicht gefunden.'],
    ['en-us', 'Not found.'],
    ['tr-TR', 'Bulunamadı.'],
    ['fr;q=0.9, xx', 'Introuvable.'],
    ['ru', 'Не найдено.'],
    ['ar', 'غير موجود.'],
    ['undefined', 'Bulunamadı.'],
  ])('speaks the Accept-Language %p', async (language, detail) => {
    const response = await http.get('/probe/missing/', { 'Accept-Language': language });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ detail, code: 'not_found' });
  });

  it('answers an unknown path with the JSON 404', async () => {
    const response = await http.get('/no/such/path/', { 'Accept-Language': 'en' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body).toEqual({ detail: 'Not found.', code: 'not_found' });
  });

  it('hides the cause of an unexpected error behind a plain 500', async () => {
    const response = await http.get('/probe/crash/', { 'Accept-Language': 'en' });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      detail: 'A server error occurred. Please try again later.',
      code: 'internal_error',
    });
    expect(response.text).not.toContain('secret');
  });

  it('gives every response a request id and keeps a sane one sent by the caller', async () => {
    const generated = await http.get('/health/');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await http.get('/health/', { 'X-Request-Id': 'trace-123' });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await http.get('/health/', { 'X-Request-Id': 'bad id with spaces' });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });
});

describe.each(['storefront', 'omnitron'] as const)('%s app', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
  });

  afterAll(() => app.close());

  it('is alive and ready when its database answers', async () => {
    expect(await app.http.get('/health/').then((r) => [r.status, r.body])).toEqual([200, { status: 'ok' }]);
    expect(await app.http.get('/health/ready/').then((r) => [r.status, r.body])).toEqual([200, { status: 'ok' }]);
  });

  it('serves Swagger UI at /docs/ and the document at /docs-json', async () => {
    const ui = await app.http.get('/docs/', { Accept: 'text/html' });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await app.http.get<{ openapi: string; paths: Record<string, unknown> }>('/docs-json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/health/ready/');
  });

  it('exposes Prometheus metrics by route and status, and the database pool', async () => {
    await app.http.get('/health/');
    await app.http.get('/no-such-route');
    const metrics = await app.http.get('/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    // The app has talked to its database by now (migrations, the readiness probe aside): the pool is not empty.
    expect(metrics.text).toMatch(/db_pool_connections_total [1-9]\d*/);
    expect(metrics.text).toMatch(/db_pool_requests_waiting \d+/);
  });
});
