import { QueryFailedError } from 'typeorm';

/** The unique index a failed INSERT or UPDATE tripped over, or undefined for any other error. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' ? (driverError.constraint ?? '') : undefined;
}

/**
 * What a SQL function refused, when `error` is its `RAISE ... USING ERRCODE = <sqlstate>`: the message (the
 * refusal's code) and the detail. Undefined for any other error. Each lib's functions have a SQLSTATE of their own
 * (the ledger's LDG00, the basket's BSK00, checkout's CHK00).
 */
export function raisedRefusal(error: unknown, sqlstate: string): { code: string; detail: string | null } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; message?: string; detail?: string } | undefined;
  if (driverError?.code !== sqlstate) return undefined;
  return { code: driverError.message ?? '', detail: driverError.detail ?? null };
}
