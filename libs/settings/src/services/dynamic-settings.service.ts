import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@app/common';
import type { ReadPart } from '@app/database';
import { SettingUnknownError, SettingValueInvalidError } from '../errors';
import { DynamicSettingRepository, storedSettingsPart } from '../repositories/dynamic-setting.repository';

/** Per-channel settings changed at run time. Every key has a default; only known keys are accepted. */
export interface DynamicSettings {
  /** Whether checkout may pay orders from store credit. */
  LOYALTY_MONEY_ENABLED: boolean;
  /** Whether enrolling a loyalty card needs an SMS code (the platform's `verify_sms`). */
  VERIFY_SMS: boolean;
  /**
   * Percent of an order's card-paid amount credited back as store credit when the order completes, as a decimal
   * string with two places ("0.00" = off, at most "100.00").
   */
  LOYALTY_EARNING_RATE: string;
}

export type DynamicSettingKey = keyof DynamicSettings;

const DEFAULTS: DynamicSettings = { LOYALTY_MONEY_ENABLED: false, VERIFY_SMS: true, LOYALTY_EARNING_RATE: '0.00' };

/** 0 to 100 with at most two decimals, as a string or a JSON number; answered in the two-decimal string form. */
function parsePercent(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  const match = text === undefined ? null : /^([0-9]{1,3})(?:\.([0-9]{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const cents = (match[2] ?? '').padEnd(2, '0');
  if (whole > 100 || (whole === 100 && cents !== '00')) return undefined;
  return `${whole}.${cents}`;
}

/** Validates one value; returns undefined when it is not acceptable. */
const PARSERS: { [K in DynamicSettingKey]: (value: unknown) => DynamicSettings[K] | undefined } = {
  LOYALTY_MONEY_ENABLED: (value) => (typeof value === 'boolean' ? value : undefined),
  VERIFY_SMS: (value) => (typeof value === 'boolean' ? value : undefined),
  LOYALTY_EARNING_RATE: parsePercent,
};

function isKey(key: string): key is DynamicSettingKey {
  return Object.prototype.hasOwnProperty.call(DEFAULTS, key);
}

/** Every stored setting of a channel, parsed, defaults filled in; an unknown key or a bad stored value is left out. */
function settingsFrom(stored: Readonly<Record<string, unknown>>): DynamicSettings {
  const settings: DynamicSettings = { ...DEFAULTS };
  for (const [key, value] of Object.entries(stored)) {
    if (!isKey(key)) continue;
    const parsed = PARSERS[key](value);
    if (parsed !== undefined) Object.assign(settings, { [key]: parsed });
  }
  return settings;
}

/**
 * Every setting of a channel, defaults filled in, as one part of a statement that reads several things at once
 * (`readTogether`): the checkout pages read it with the basket and the addresses.
 */
export function settingsPart(channelId: number): ReadPart<DynamicSettings> {
  const stored = storedSettingsPart(channelId);
  return { sql: (arg) => stored.sql(arg), map: (value) => settingsFrom(stored.map(value)) };
}

@Injectable()
export class DynamicSettingsService {
  constructor(
    private readonly settings: DynamicSettingRepository,
    private readonly clock: Clock,
  ) {}

  /** Every setting of the channel, defaults filled in. Pass `m` to read inside a running database transaction. */
  async get(channelId: number, m?: EntityManager): Promise<DynamicSettings> {
    return settingsFrom(await this.settings.stored(channelId, m));
  }

  /** Changes only the keys given; refuses unknown keys and bad values (nothing saved); returns every setting. */
  async patch(channelId: number, patch: Readonly<Record<string, unknown>>): Promise<DynamicSettings> {
    const entries = Object.entries(patch);
    const values: Partial<DynamicSettings> = {};
    for (const [key, value] of entries) {
      if (!isKey(key)) throw new SettingUnknownError(key);
      const parsed = PARSERS[key](value);
      if (parsed === undefined) throw new SettingValueInvalidError(key);
      Object.assign(values, { [key]: parsed });
    }
    await this.settings.write(channelId, values, this.clock.now());
    return this.get(channelId);
  }
}
