import { formatAmount, type MinorUnits, minorFromDecimalText } from '@app/common';
import type { ValueTransformer } from 'typeorm';

/**
 * `numeric(20,2)` <-> bigint minor units. The driver hands numerics over as text, so no float ever holds an
 * amount. Query operators (FindOperator) pass through untouched.
 */
export const MONEY_TRANSFORMER: ValueTransformer = {
  to: (value: unknown): unknown => (typeof value === 'bigint' ? formatAmount(value) : value),
  from: (value: unknown): MinorUnits | null =>
    value === null || value === undefined ? null : minorFromDecimalText(String(value)),
};

export const MONEY_COLUMN = { type: 'numeric', precision: 20, scale: 2, transformer: MONEY_TRANSFORMER } as const;
