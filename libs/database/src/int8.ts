import { types } from 'pg';

/*
 * How the app's connections read PostgreSQL's int8 (`bigint`): the ids of transactions, postings and idempotency
 * keys are bigint (migration 1765110000000) and stay JSON numbers, as the contract shows them. node-postgres reads
 * int8 as a string by default; here it is a number, exact below 2^53, and a value past that is refused rather than
 * rounded (an id would be wrong, silently). Money is numeric, not int8, and is always read as text.
 */

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

export function int8ToNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} is past the safe integer range`);
  return value;
}

/** pg's own parsers, by oid (its typing lists only the built-in oids). */
const pgParser = types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;
const int8Array = pgParser(INT8_ARRAY_OID, 'text') as (text: string) => (string | null)[];

/** The `types` of a pg connection (the pool's `extra.types`): int8 and int8[] as numbers, the rest as pg reads them. */
export const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown => {
    if (format !== 'binary') {
      if (oid === INT8_OID) return int8ToNumber;
      if (oid === INT8_ARRAY_OID) {
        return (text: string) => int8Array(text).map((item) => (item === null ? null : int8ToNumber(item)));
      }
    }
    return pgParser(oid, format ?? 'text');
  },
};
