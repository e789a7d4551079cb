import { constantTimeEqual, randomToken } from './tokens';

export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
export const CSRF_FORM_FIELD = 'csrfmiddlewaretoken';
const CSRF_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function newCsrfToken(): string {
  return randomToken();
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
