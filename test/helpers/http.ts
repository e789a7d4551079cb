import { type ApiName, checkResponse } from './openapi-validator';

/**
 * A small HTTP client for end-to-end tests: real requests over loopback, like the storefront's proxy sends. A
 * client that knows its API checks every response against that API's committed OpenAPI document.
 */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON unless `form` is set; a string is sent as it is. */
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
  contentType?: string;
}

export class HttpClient {
  /**
   * `faultsInjected` counts the faults an app under test threw: a 500 answered while one was thrown is a simulated
   * crash (a real process would have died and answered nothing), not an answer the document describes.
   */
  constructor(
    readonly baseUrl: string,
    readonly api?: ApiName,
    private readonly faultsInjected?: () => number,
  ) {}

  async request<T = any>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] = options.contentType ?? 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
      headers['Content-Type'] = options.contentType ?? 'application/json';
    }
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    const faultsBefore = this.faultsInjected?.();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('json') && text) parsed = JSON.parse(text);
    const simulatedCrash = response.status === 500 && faultsBefore !== this.faultsInjected?.();
    if (this.api && !simulatedCrash)
      checkResponse(this.api, { method, path, status: response.status, contentType, text, body: parsed });
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  get<T = any>(path: string, headers?: Record<string, string>): Promise<HttpResponse<T>> {
    return this.request<T>(path, { headers });
  }
}
