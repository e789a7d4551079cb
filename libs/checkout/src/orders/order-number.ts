import { randomInt } from 'node:crypto';

/**
 * A new order number: 16 random decimal digits, the first never 0 (so it survives being read as a number).
 * About 9 * 10^15 values: the unique index catches the rare collision and the caller draws again.
 */
export function newOrderNumber(): string {
  let digits = String(randomInt(1, 10));
  // randomInt takes ranges below 2^48: three draws of five digits each.
  for (let i = 0; i < 3; i++) digits += String(randomInt(0, 100_000)).padStart(5, '0');
  return digits;
}

export function isOrderNumber(value: string): boolean {
  return /^[1-9][0-9]{15}$/.test(value);
}
