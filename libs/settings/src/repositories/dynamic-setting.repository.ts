import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ReadPart, readTogether } from '@app/database';
import { DynamicSetting } from '../entities/dynamic-setting.entity';

/**
 * A channel's stored settings, key to stored json value, as one part of a statement that reads several things at
 * once (`readTogether`). What the values mean is the service's (settingsPart parses them).
 */
export function storedSettingsPart(channelId: number): ReadPart<Record<string, unknown>> {
  return {
    sql: (arg) =>
      `SELECT coalesce(jsonb_object_agg("key", "value"), '{}'::jsonb) FROM "dynamic_setting"
        WHERE "channel_id" = ${arg(channelId)}::integer`,
    map: (stored) => (stored ?? {}) as Record<string, unknown>,
  };
}

/** The `dynamic_setting` table: every read and write of the settings lib. */
@Injectable()
export class DynamicSettingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The channel's stored settings; pass `m` to read inside a running database transaction. */
  async stored(channelId: number, m?: EntityManager): Promise<Record<string, unknown>> {
    return (await readTogether(m ?? this.dataSource, { stored: storedSettingsPart(channelId) })).stored;
  }

  /** Writes the given keys (inserted or replaced) in one transaction. */
  async write(channelId: number, values: Readonly<Record<string, string | boolean>>, now: Date): Promise<void> {
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      for (const [key, value] of Object.entries(values)) {
        await m
          .createQueryBuilder()
          .insert()
          .into(DynamicSetting)
          .values({ channelId, key, value, modifiedDate: now })
          .orUpdate(['value', 'modified_date'], ['channel_id', 'key'])
          .execute();
      }
    });
  }
}
