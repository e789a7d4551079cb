import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADMIN_UI_CSP, adminUiRoot } from '../apps/omnitron/src/admin-ui/admin-ui';
import { startTestApp, type TestApp } from './helpers/test-app';

/** Every file under the pages' folder, as paths relative to it. */
function uiFiles(dir = adminUiRoot()): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? uiFiles(join(dir, entry.name))
      : [relative(adminUiRoot(), join(dir, entry.name)).split('\\').join('/')],
  );
}

/** `src="..."`/`href="..."` of the index, and the `import ... from '...'` of each module, resolved to /admin/ paths. */
function references(path: string, text: string): string[] {
  const base = new URL(path, 'http://x');
  const found = [
    ...text.matchAll(/\b(?:src|href)="([^"#]+)"/g),
    ...text.matchAll(/\bfrom\s+'([^']+)'/g),
    ...text.matchAll(/\bimport\s+'([^']+)'/g),
  ].map((match) => match[1]);
  return found.map((ref) => new URL(ref, base).pathname);
}

describe('back-office pages (/admin/)', () => {
  let omnitron: TestApp;

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
  });

  afterAll(async () => {
    await omnitron?.close();
  });

  it('serves the index with a strict Content-Security-Policy and no inline script', async () => {
    const response = await omnitron.http.get('/admin/', { Accept: 'text/html' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(ADMIN_UI_CSP);
    expect(ADMIN_UI_CSP).toContain("script-src 'self'");
    expect(ADMIN_UI_CSP).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Every <script> has a src; the policy would block an inline one anyway, this keeps the page working.
    for (const tag of response.text.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="/);
    expect(response.text).toContain('js/app.js');
  });

  it('redirects /admin to /admin/', async () => {
    const response = await omnitron.http.get('/admin');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/admin/');
  });

  it('serves every asset the pages reference from the app itself (no CDN)', async () => {
    const seen = new Set<string>();
    const queue = ['/admin/'];
    for (let step = 0; queue.length > 0 && step < 200; step++) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await omnitron.http.get(path, { Accept: '*/*' });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-security-policy')).toBe(ADMIN_UI_CSP);
      expect(response.text).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
      expect(response.text).not.toMatch(/from\s+'(?:https?:)?\/\//);
      const type = path.endsWith('.js')
        ? /javascript/
        : path.endsWith('.css')
          ? /^text\/css/
          : /^(text\/html|image\/svg)/;
      expect(response.headers.get('content-type')).toMatch(type);
      if (path === '/admin/' || path.endsWith('.js')) queue.push(...references(path, response.text));
    }
    // Everything in the folder is reachable from the index, and all of it was served.
    const expected = uiFiles().map((file) => (file === 'index.html' ? '/admin/' : `/admin/${file}`));
    expect([...seen].sort()).toEqual(expected.sort());
  });

  it('answers 404 for a missing file and does not leave its folder', async () => {
    expect((await omnitron.http.get('/admin/js/missing.js')).status).toBe(404);
    expect([403, 404]).toContain((await omnitron.http.get('/admin/..%2f..%2fpackage.json')).status);
    expect((await omnitron.http.get('/admin/../../../package.json')).status).not.toBe(200);
  });

  it('never turns an amount into a floating-point number in the pages', () => {
    for (const file of uiFiles().filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(join(adminUiRoot(), file), 'utf8');
      expect({ file, float: /parseFloat|toFixed|Number\(\s*(?:amount|balance)/.test(text) }).toEqual({
        file,
        float: false,
      });
    }
  });
});
