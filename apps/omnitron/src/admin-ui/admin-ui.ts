import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
// Brings in the type of reply.sendFile, which the plugin adds.
import type {} from '@fastify/static';

/** The back-office web pages are served under this prefix; they call the same API as any other client. */
export const ADMIN_UI_PREFIX = '/admin/';

/**
 * Everything the pages load comes from this app: no inline script or style, no third-party origin, no framing.
 * `connect-src 'self'` keeps the token from being sent anywhere but this API.
 */
export const ADMIN_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': ADMIN_UI_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // Small files: the browser revalidates (ETag) on each load, so a deploy is seen at once.
  'Cache-Control': 'no-cache',
};

/**
 * The folder of the pages: `apps/omnitron/admin` beside the sources (tests), copied by `nest build` (nest-cli.json's
 * `assets`) next to the compiled app (`dist/apps/omnitron/admin`). Missing pages stop the app at boot.
 */
export function adminUiRoot(): string {
  // apps/omnitron/src/admin-ui -> apps/omnitron/admin; dist/apps/omnitron/src/admin-ui -> dist/apps/omnitron/admin
  const root = resolve(__dirname, '..', '..', 'admin');
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`The back-office pages are missing: no ${root}/index.html`);
  return root;
}

/** Serves the pages under /admin/ (and redirects /admin to it) with the headers above. */
export function registerAdminUi(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/admin' || request.url.startsWith('/admin?')) {
      void reply.redirect(ADMIN_UI_PREFIX, 301);
      return;
    }
    if (request.url.startsWith(ADMIN_UI_PREFIX)) void reply.headers(SECURITY_HEADERS);
    done();
  });
  const root = adminUiRoot();
  void app.useStaticAssets({
    root,
    prefix: ADMIN_UI_PREFIX,
    // Swagger UI registers its assets without the reply decorator; the index route below needs it.
    decorateReply: true,
    index: false,
    cacheControl: false,
    dotfiles: 'deny',
  });
  // With the router ignoring trailing slashes the plugin's own index route does not answer /admin/; this one does.
  fastify.get(ADMIN_UI_PREFIX, (_request, reply) => reply.sendFile('index.html', root));
}
