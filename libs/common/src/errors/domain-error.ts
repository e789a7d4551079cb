import type { AppError } from './app-error';

/**
 * An error a lib's core raises on purpose, in the lib's own terms: what went wrong and about what (which account,
 * which role it played, which amount), never how a protocol shows it. It carries no HTTP status and no request
 * field name: each app's edge maps it with its `EdgeErrors` table, because the same refusal is a field of one
 * request in one app and the path of another request in the other (README, "Errors").
 */
export abstract class DomainError extends Error {
  /** A stable name for logs and for the edge table's default code. */
  abstract readonly reason: string;

  constructor(detail?: string) {
    super(detail ?? new.target.name);
    this.name = new.target.name;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor signature of an error class
type ErrorClass<E extends DomainError> = abstract new (...args: any[]) => E;

export interface EdgeRule<E extends DomainError = DomainError> {
  readonly error: ErrorClass<E>;
  readonly toHttp: (error: E) => AppError;
}

/** One row of an app's table: the error class and how the app answers it. */
export function edgeRule<E extends DomainError>(error: ErrorClass<E>, toHttp: (error: E) => AppError): EdgeRule {
  return { error, toHttp: toHttp as (error: DomainError) => AppError };
}

/**
 * An app's table of how it answers each domain error: status, code, field and message, as an AppError. Looked up
 * by the error's class (a subclass without a row of its own takes its parent's). The error renderer uses it for
 * every response; a domain error without a row is a bug of the table and answers a logged 500.
 */
export class EdgeErrors {
  private readonly rules = new Map<ErrorClass<DomainError>, (error: DomainError) => AppError>();

  constructor(rules: readonly EdgeRule[]) {
    for (const rule of rules) {
      if (this.rules.has(rule.error)) throw new Error(`two edge rules for ${rule.error.name}`);
      this.rules.set(rule.error, rule.toHttp);
    }
  }

  /** The app's answer to `error`, or undefined when the table has no row for it. */
  toHttp(error: DomainError): AppError | undefined {
    for (let type = error.constructor; type && type !== DomainError; type = Object.getPrototypeOf(type) as never) {
      const rule = this.rules.get(type as ErrorClass<DomainError>);
      if (rule) return rule(error);
    }
    return undefined;
  }

  /** Whether the table has a row for `type` itself (the coverage tests ask this of every error a lib exports). */
  covers(type: ErrorClass<DomainError>): boolean {
    return this.rules.has(type);
  }

  /** The names, sorted, of the domain errors among a lib's exports that the table has no row for. */
  unansweredIn(exports: Record<string, unknown>): string[] {
    return domainErrorClassesOf(exports)
      .filter((type) => !this.covers(type))
      .map((type) => type.name)
      .sort();
  }
}

/** The domain error classes among a module's exports (`import * as errors`): what an edge table must cover. */
export function domainErrorClassesOf(exports: Record<string, unknown>): ErrorClass<DomainError>[] {
  return Object.values(exports).filter(
    (value): value is ErrorClass<DomainError> =>
      typeof value === 'function' && value.prototype instanceof DomainError && !isAbstractBase(value),
  );
}

/** A base class (`LedgerError`) marks itself abstract by this static, since TypeScript's `abstract` is erased. */
function isAbstractBase(type: unknown): boolean {
  return Object.prototype.hasOwnProperty.call(type, 'abstractBase');
}
