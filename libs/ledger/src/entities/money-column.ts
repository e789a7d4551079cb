import { formatAmount, type MinorUnits, minorFromDecimalText } from '@app/common';
import type { ValueTransformer } from 'typeorm';

/**
 * `numeric(20,2)` <-> bigint minor units. The driver hands numerics over as text, so no float ever holds an
 * amount. Query operators (FindOperator) pass through untouched.
 */
export const MONEY_TRANSFORMER: ValueTransformer = {
  to: (value: unknown): unknown => (typeof value === 'bigint' ? formatAmount(value) : value),
  from: (value: unknown): MinorUnits | null => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw new Error(`numeric column read as ${typeof value}, expected text`);
    return minorFromDecimalText(value);
  },
};

export const MONEY_COLUMN = { type: 'numeric', precision: 20, scale: 2, transformer: MONEY_TRANSFORMER } as const;
