import type { HttpClient, HttpResponse } from './http';

/** The one Set-Cookie header of a response (the contract allows at most one). */
export function setCookieOf(response: HttpResponse): string | undefined {
  const all = response.headers.getSetCookie();
  expect(all.length).toBeLessThanOrEqual(1);
  return all[0];
}

/** The session id a response sets, read the way the storefront client reads it. */
export function sessionIdOf(response: HttpResponse): string {
  const match = /osessionid=(\w+)/.exec(setCookieOf(response) ?? '');
  if (!match?.[1]) throw new Error(`no osessionid in Set-Cookie (status ${response.status}): ${response.text}`);
  return match[1];
}

let counter = 0;

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}.${process.pid}.${++counter}.${Date.now().toString(36)}@example.com`;
}

export const PASSWORD = 'correct horse battery';

export async function register(
  http: HttpClient,
  email = uniqueEmail(),
  extra: Record<string, unknown> = {},
): Promise<{ email: string; session: string; response: HttpResponse }> {
  const response = await http.request('/users/registration/', {
    json: { email, password: PASSWORD, first_name: 'Jane', last_name: 'Doe', ...extra },
    headers: { 'Accept-Language': 'en' },
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
  return { email, session: sessionIdOf(response), response };
}

export async function csrfToken(http: HttpClient): Promise<string> {
  const response = await http.get<{ csrf_token: string }>('/csrf_token/');
  return response.body.csrf_token;
}
