import { constantTimeEqual, randomToken } from './tokens';

export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
export const CSRF_FORM_FIELD = 'csrfmiddlewaretoken';
const CSRF_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function newCsrfToken(): string {
  return randomToken();
}

/** A year, as the platform's own CSRF cookie lasts. Not HttpOnly: a page script may read it to echo it. */
const CSRF_COOKIE_MAX_AGE_SECONDS = 31_449_600;

export function csrfCookie(token: string, secure: boolean): string {
  const parts = [`${CSRF_COOKIE}=${token}`, `Max-Age=${CSRF_COOKIE_MAX_AGE_SECONDS}`, 'Path=/', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * Double-submit check: the `csrftoken` cookie must equal the `X-CSRFToken` header or the `csrfmiddlewaretoken`
 * form field. The storefront fetches the token without a session, so it cannot be bound to one.
 */
export function csrfPasses(cookie: string | undefined, header: string | undefined, formField: unknown): boolean {
  if (!cookie || !CSRF_TOKEN_PATTERN.test(cookie)) return false;
  const submitted = header ?? (typeof formField === 'string' ? formField : undefined);
  return submitted !== undefined && constantTimeEqual(submitted, cookie);
}
