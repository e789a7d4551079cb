/**
 * Exact money: amounts are integers of minor units (cents) held in `bigint`, never a JS `number`.
 * Every amount in this service has two decimal places; the database stores `numeric(20,2)`.
 */
export type MinorUnits = bigint;

/** Largest amount accepted from a client: 10^12 - 0.01, far above any real balance, far below numeric(20,2). */
export const AMOUNT_MAX_MINOR: MinorUnits = 100_000_000_000_000n - 1n;

const AMOUNT_PATTERN = /^(-)?(\d{1,16})(?:\.(\d{1,2}))?$/;

export type AmountProblem = 'invalid' | 'decimals' | 'too_large';

export type ParsedAmount = { ok: true; minor: MinorUnits } | { ok: false; problem: AmountProblem };

/**
 * Parses an amount as a client sends it: a decimal string ("20", "20.5", "20.00") or a JSON number (20, 20.5).
 * Exponents, NaN, Infinity, thousands separators and more than two decimals are refused: a number is first
 * written out the way JSON.stringify does, so `1e3` stays `1e3` and is refused rather than guessed at.
 */
export function parseAmount(input: unknown): ParsedAmount {
  let text: string;
  if (typeof input === 'string') text = input.trim();
  else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else return { ok: false, problem: 'invalid' };
  if (/^-?\d+\.\d{3,}$/.test(text)) return { ok: false, problem: 'decimals' };
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) return { ok: false, problem: /^-?\d{17,}(\.\d*)?$/.test(text) ? 'too_large' : 'invalid' };
  const [, sign, whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (magnitude > AMOUNT_MAX_MINOR) return { ok: false, problem: 'too_large' };
  return { ok: true, minor: sign ? -magnitude : magnitude };
}

/** "20.00", "-14.50": the contract's string form of an amount. */
export function formatAmount(minor: MinorUnits): string {
  const negative = minor < 0n;
  const magnitude = negative ? -minor : minor;
  const whole = magnitude / 100n;
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

/**
 * The JSON number form, for the few fields the contract types as a number (the storefront balance).
 * Exact for every amount below 2^53 cents; the conversion goes through the decimal string, never arithmetic.
 */
export function amountToNumber(minor: MinorUnits): number {
  return Number(formatAmount(minor));
}

/** What PostgreSQL hands over for a `numeric` of scale 2 or a SUM of them: any number of digits, up to two decimals. */
const DECIMAL_TEXT_PATTERN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Reads PostgreSQL's `numeric` text ("20.00", "-3.5", "7") as minor units, whatever its size: a column holds up to
 * 18 integer digits and a sum of postings (SALE, BANK and REFUND grow for the life of a shop) more still. The limit on
 * what a client may send (`AMOUNT_MAX_MINOR`) is deliberately not applied here: a read must never fail on a value
 * the database already holds, or one large account would make every page that shows it answer 500.
 */
export function minorFromDecimalText(text: string): MinorUnits {
  const match = DECIMAL_TEXT_PATTERN.exec(text.trim());
  if (!match) throw new Error('Not a decimal amount from the database');
  const [, sign, whole = '0', fraction = ''] = match;
  const magnitude = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -magnitude : magnitude;
}
