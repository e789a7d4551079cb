import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument, type OpenApiInfo, routeTable } from '@app/common';
import { SUPERUSER_ONLY_EXTENSION } from '@app/identity';

/** The back office's channel-scoped routes: everything under this prefix reads or writes one channel's rows. */
export const REMOTE_ROUTE = /^\/api\/v1\/remote\/:channel_id(\/|$)/;
/** The back office's routes of global resources (superuser only): the installation's geography. */
export const GLOBAL_ROUTE = /^\/api\/v1\/geography(\/|$)/;

type Operation = OpenAPIObject['paths'][string]['get'];

export interface BackOfficeRoute {
  /** `METHOD /path` as the router holds it: the key of the route's fixture. */
  name: string;
  method: string;
  url: string;
  /** Path parameters besides `channel_id`, in path order. */
  pathParams: string[];
  /** Query and header parameters the OpenAPI operation documents. */
  queryParams: string[];
  headerParams: string[];
  /** `@SuperuserOnly()`: a channel-limited staff user must get a 403 on every call. */
  superuserOnly: boolean;
  /** The route's operation in the app's OpenAPI document; undefined when it has none. */
  operation: Operation;
}

/** `/api/v1/remote/:channel_id/orders/:pk` -> `/api/v1/remote/{channel_id}/orders/{pk}/`, as the document names it. */
function documentPath(url: string): string {
  const path = url.replace(/:(\w+)/g, '{$1}');
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * Every route of the app under `/api/v1/remote/:channel_id/` and `/api/v1/geography/`, read from the router's own table (not from a list
 * someone keeps), with its parameters from the OpenAPI document built in-process. Fastify derives a HEAD route
 * from each GET (same handler, no body); those are left out, any other HEAD route stays.
 */
export function backOfficeRoutes(app: NestFastifyApplication, info: OpenApiInfo): BackOfficeRoute[] {
  const document = buildOpenApiDocument(app, info);
  const table = routeTable(app);
  const gets = new Set(table.filter((r) => r.method === 'GET').map((r) => r.url));
  return table
    .filter((r) => (REMOTE_ROUTE.test(r.url) || GLOBAL_ROUTE.test(r.url)) && !(r.method === 'HEAD' && gets.has(r.url)))
    .map(({ method, url }) => {
      const operation = document.paths[documentPath(url)]?.[method.toLowerCase() as 'get'];
      const parameters = (operation?.parameters ?? []).flatMap((p) => ('in' in p ? [p] : []));
      const named = (where: string): string[] => parameters.filter((p) => p.in === where).map((p) => p.name);
      return {
        name: `${method} ${url}`,
        method,
        url,
        pathParams: [...url.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((p) => p !== 'channel_id'),
        queryParams: named('query'),
        headerParams: named('header'),
        superuserOnly: (operation as Record<string, unknown> | undefined)?.[SUPERUSER_ONLY_EXTENSION] === true,
        operation,
      };
    });
}
