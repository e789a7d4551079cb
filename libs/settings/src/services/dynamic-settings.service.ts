import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, ValidationFailedError } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DynamicSetting } from '../entities/dynamic-setting.entity';

/** Per-channel settings changed at run time. Every key has a default; only known keys are accepted. */
export interface DynamicSettings {
  /** Whether checkout may pay orders from store credit. */
  LOYALTY_MONEY_ENABLED: boolean;
  /** Whether enrolling a loyalty card needs an SMS code (the platform's `verify_sms`). */
  VERIFY_SMS: boolean;
}

export type DynamicSettingKey = keyof DynamicSettings;

const DEFAULTS: DynamicSettings = { LOYALTY_MONEY_ENABLED: false, VERIFY_SMS: true };

/** Validates one value; returns undefined when it is not acceptable. */
const PARSERS: { [K in DynamicSettingKey]: (value: unknown) => DynamicSettings[K] | undefined } = {
  LOYALTY_MONEY_ENABLED: (value) => (typeof value === 'boolean' ? value : undefined),
  VERIFY_SMS: (value) => (typeof value === 'boolean' ? value : undefined),
};

function isKey(key: string): key is DynamicSettingKey {
  return Object.prototype.hasOwnProperty.call(DEFAULTS, key);
}

@Injectable()
export class DynamicSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Every setting of the channel, defaults filled in. Pass `m` to read inside a running database transaction. */
  async get(channelId: number, m: EntityManager = this.dataSource.manager): Promise<DynamicSettings> {
    const rows = await m.getRepository(DynamicSetting).findBy({ channel_id: channelId });
    const settings: DynamicSettings = { ...DEFAULTS };
    for (const row of rows) {
      if (!isKey(row.key)) continue;
      const parsed = PARSERS[row.key](row.value);
      if (parsed !== undefined) settings[row.key] = parsed;
    }
    return settings;
  }

  /** Changes only the keys given; refuses unknown keys and bad values (nothing saved); returns every setting. */
  async patch(channelId: number, patch: Readonly<Record<string, unknown>>): Promise<DynamicSettings> {
    const entries = Object.entries(patch);
    const values: Partial<DynamicSettings> = {};
    for (const [key, value] of entries) {
      if (!isKey(key)) throw ValidationFailedError.forField(key, 'ledger.setting_unknown');
      const parsed = PARSERS[key](value);
      if (parsed === undefined) throw ValidationFailedError.forField(key, 'validation.not_boolean');
      values[key] = parsed;
    }
    const now = this.clock.now();
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      for (const [key, value] of Object.entries(values)) {
        await m
          .createQueryBuilder()
          .insert()
          .into(DynamicSetting)
          .values({ channel_id: channelId, key, value, modified_date: now })
          .orUpdate(['value', 'modified_date'], ['channel_id', 'key'])
          .execute();
      }
    });
    return this.get(channelId);
  }
}
