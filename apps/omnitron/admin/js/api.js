// @ts-check
// The back-office API, called exactly as any other client calls it: `Authorization: Token <key>`, JSON bodies,
// errors as {detail, code, field_errors} already translated for the Accept-Language sent.
import { getLang, t } from './i18n.js';

const TOKEN_KEY = 'loyalty-admin.token';
const CHANNEL_KEY = 'loyalty-admin.channel';
const TIMEOUT_MS = 20_000;
const CHANNEL_ID_MAX = 2_147_483_647;

export class ApiError extends Error {
  constructor(status, body) {
    const detail = body && typeof body.detail === 'string' ? body.detail : t('unexpected_error', { status });
    super(detail);
    this.status = status;
    this.code = body && typeof body.code === 'string' ? body.code : 'error';
    this.fieldErrors = body && body.field_errors && typeof body.field_errors === 'object' ? body.field_errors : {};
  }
}

/** The token lives in sessionStorage: it ends with the browser tab and is never sent as a cookie. */
export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  get channel() {
    const stored = sessionStorage.getItem(CHANNEL_KEY);
    return stored && /^\d{1,10}$/.test(stored) && Number(stored) >= 1 && Number(stored) <= CHANNEL_ID_MAX
      ? stored
      : '1';
  },
  set channel(value) {
    sessionStorage.setItem(CHANNEL_KEY, String(value));
  },
};

/** Called when the API answers 401: the app shows the sign-in page. */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/**
 * A money form's requests (ADR 0006, "Idempotency"): each intended change goes under one `Idempotency-Key`. After a
 * network error or a 5xx the first request may have gone through, so the next try repeats the key (the server
 * answers it once, moving the money once); after an answer that decided, a success or a refusal (4xx, which moved
 * nothing), the next submission is a new change with a new key.
 */
export function moneyRequests() {
  let key = idempotencyKey();
  /** @type {(method: string, path: string, options?: ApiOptions) => Promise<any>} */
  return async (method, path, options = {}) => {
    try {
      const result = await api(method, path, { ...options, key });
      key = idempotencyKey();
      return result;
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) key = idempotencyKey();
      throw error;
    }
  };
}

/** A fresh key for one form submission, so a retried click cannot move money twice. */
function idempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @typedef {object} ApiOptions
 * @property {object | string} [body] sent as JSON; a string is sent as it is (already JSON)
 * @property {Record<string, unknown>} [query] empty, null and undefined values are left out
 * @property {string} [key] the Idempotency-Key (money forms: `moneyRequests`)
 * @property {boolean} [auth] send the staff token (default true)
 */

/**
 * One API call. `path` is absolute (`/api/v1/...`) or relative to the channel (`loyalty_account/`). `body` is an
 * object sent as JSON, or a string already in JSON (settings send numbers exactly as typed). Throws ApiError.
 * @param {string} method
 * @param {string} path
 * @param {ApiOptions} [options]
 * @returns {Promise<any>} the answer's JSON (null for 204)
 */
export async function api(method, path, { body, query, key, auth = true } = {}) {
  const url = new URL(path.startsWith('/') ? path : `/api/v1/remote/${session.channel}/${path}`, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers = { Accept: 'application/json', 'Accept-Language': getLang() };
  if (auth && session.token) headers.Authorization = `Token ${session.token}`;
  if (key) headers['Idempotency-Key'] = key;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ApiError(0, { detail: t('network_error'), code: 'network' });
  }
  const text = await response.text();
  let parsed = null;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (response.status === 401 && auth) {
    session.token = null;
    onUnauthorized();
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}
