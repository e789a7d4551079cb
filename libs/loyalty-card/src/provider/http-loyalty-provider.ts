import type { Clock } from '@app/common';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
import type { ExternalAccount, ExternalProfile, ExternalSearch, Gender, LoyaltyProvider } from './loyalty-provider';

export interface HttpLoyaltyProviderOptions {
  baseUrl: string;
  apiKey?: string;
  /** Per attempt; at most 3 s so that a storefront page never waits long on the external system. */
  timeoutMs: number;
  /** Extra attempts for reads only (search, points, account): writes are never repeated blindly. */
  readRetries: number;
  retryDelayMs: number;
  breakerFailureThreshold: number;
  breakerOpenMs: number;
}

export type ProviderFailure = 'timeout' | 'unavailable' | 'malformed' | 'not_found' | 'rejected' | 'circuit_open';

/** Why a call to the external loyalty system failed; the service turns it into a translated message. */
export class LoyaltyProviderError extends Error {
  constructor(
    readonly failure: ProviderFailure,
    detail: string,
  ) {
    super(`loyalty provider ${failure}: ${detail}`);
    this.name = 'LoyaltyProviderError';
  }
}

const GENDERS: readonly Gender[] = ['male', 'female', 'unknown'];
const SEARCH_RESULTS_MAX = 20;
const RESPONSE_BYTES_MAX = 256 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullableBool(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  throw new LoyaltyProviderError('malformed', 'a consent flag is not a boolean');
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new LoyaltyProviderError('malformed', `bad ${field}`);
  return value;
}

/** Reads an account strictly: a provider's malformed answer must never become a half-filled card. */
export function parseExternalAccount(value: unknown): ExternalAccount {
  if (!isRecord(value)) throw new LoyaltyProviderError('malformed', 'account is not an object');
  const gender = value.gender ?? 'unknown';
  if (!GENDERS.includes(gender as Gender)) throw new LoyaltyProviderError('malformed', 'bad gender');
  const dateOfBirth = value.date_of_birth ?? null;
  if (dateOfBirth !== null && !(typeof dateOfBirth === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth))) {
    throw new LoyaltyProviderError('malformed', 'bad date_of_birth');
  }
  const accountNumber = value.account_number;
  if (typeof accountNumber !== 'string' && typeof accountNumber !== 'number') {
    throw new LoyaltyProviderError('malformed', 'no account_number');
  }
  return {
    account_number: text(String(accountNumber), 'account_number', 64),
    first_name: text(value.first_name ?? '', 'first_name', 100),
    last_name: text(value.last_name ?? '', 'last_name', 100),
    email: text(value.email ?? '', 'email', 254),
    phone: text(value.phone ?? '', 'phone', 60),
    gender: gender as Gender,
    date_of_birth: dateOfBirth,
    email_allowed: nullableBool(value.email_allowed),
    sms_allowed: nullableBool(value.sms_allowed),
    call_allowed: nullableBool(value.call_allowed),
    active: value.active === undefined ? true : value.active === true,
  };
}

/**
 * Client of a REST loyalty provider (wire format: docs/loyalty-provider.md). Every call has a timeout; reads are
 * retried a bounded number of times on network errors, timeouts and 5xx; a circuit breaker stops calling a provider
 * that keeps failing, so a dead provider costs the storefront one quick refusal instead of a timeout per request.
 */
export class HttpLoyaltyProvider implements LoyaltyProvider {
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly options: HttpLoyaltyProviderOptions,
    clock: Clock,
  ) {
    this.breaker = new CircuitBreaker(
      { failureThreshold: options.breakerFailureThreshold, openMs: options.breakerOpenMs },
      clock,
    );
  }

  async search(_channelId: number, query: ExternalSearch): Promise<ExternalAccount[]> {
    const params = new URLSearchParams({ email: query.email });
    if (query.phone) params.set('phone', query.phone);
    if (query.date_of_birth) params.set('date_of_birth', query.date_of_birth);
    const body = await this.call('GET', `accounts/?${params.toString()}`);
    if (!isRecord(body) || !Array.isArray(body.results)) throw new LoyaltyProviderError('malformed', 'no results');
    return body.results.slice(0, SEARCH_RESULTS_MAX).map(parseExternalAccount);
  }

  async create(_channelId: number, profile: ExternalProfile): Promise<ExternalAccount> {
    return parseExternalAccount(await this.call('POST', 'accounts/', profile));
  }

  async points(accountNumber: string): Promise<number> {
    const body = await this.call('GET', `accounts/${encodeURIComponent(accountNumber)}/points/`);
    const points = isRecord(body) ? body.points : undefined;
    if (typeof points !== 'number' || !Number.isSafeInteger(points)) {
      throw new LoyaltyProviderError('malformed', 'points is not a whole number');
    }
    return points;
  }

  async account(accountNumber: string): Promise<ExternalAccount> {
    return parseExternalAccount(await this.call('GET', `accounts/${encodeURIComponent(accountNumber)}/`));
  }

  async update(accountNumber: string, profile: ExternalProfile): Promise<ExternalAccount> {
    return parseExternalAccount(await this.call('PUT', `accounts/${encodeURIComponent(accountNumber)}/`, profile));
  }

  async deactivate(accountNumber: string): Promise<void> {
    await this.call('POST', `accounts/${encodeURIComponent(accountNumber)}/deactivate/`, {});
  }

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const attempts = method === 'GET' ? 1 + this.options.readRetries : 1;
    let lastError: LoyaltyProviderError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.breaker.run(() => this.once(method, path, body));
      } catch (error) {
        if (error instanceof CircuitOpenError) throw new LoyaltyProviderError('circuit_open', 'provider failing');
        lastError =
          error instanceof LoyaltyProviderError ? error : new LoyaltyProviderError('unavailable', String(error));
        const retryable = lastError.failure === 'timeout' || lastError.failure === 'unavailable';
        if (!retryable || attempt === attempts) break;
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * attempt));
      }
    }
    throw lastError ?? new LoyaltyProviderError('unavailable', 'no attempt made');
  }

  private async once(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new LoyaltyProviderError(name === 'TimeoutError' ? 'timeout' : 'unavailable', (error as Error).message);
    }
    const raw = await this.readBody(response);
    if (response.status === 404) throw new LoyaltyProviderError('not_found', path);
    if (response.status >= 500) throw new LoyaltyProviderError('unavailable', `status ${response.status}`);
    if (response.status >= 400) throw new LoyaltyProviderError('rejected', `status ${response.status}`);
    if (response.status === 204 || raw === '') return null;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new LoyaltyProviderError('malformed', 'body is not JSON');
    }
  }

  private async readBody(response: Response): Promise<string> {
    try {
      const text = await response.text();
      if (text.length > RESPONSE_BYTES_MAX) throw new LoyaltyProviderError('malformed', 'body too large');
      return text;
    } catch (error) {
      if (error instanceof LoyaltyProviderError) throw error;
      const name = (error as Error).name;
      throw new LoyaltyProviderError(name === 'TimeoutError' ? 'timeout' : 'unavailable', 'body not received');
    }
  }
}
