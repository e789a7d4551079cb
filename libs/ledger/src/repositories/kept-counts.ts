import { sqlRows } from '@app/database';
import type { DataSource } from 'typeorm';

/*
 * The lists' exact counts as the triggers keep them (`loyalty_count`, migrations 1765090000000, 1765100000000 and
 * 1765150000000): per channel, a subject (postings, accounts, transactions) and a key ('all', 'c:<currency>',
 * 'a:<account>', 'u:<user>', 'k:<kind>' and their combinations), in up to 16 stripes.
 */

/** A kept count: the sum of its stripes (at most 16 rows, by primary key). */
export async function keptCount(
  dataSource: DataSource,
  channelId: number,
  subject: 'transfer' | 'account' | 'transaction',
  key: string,
): Promise<number> {
  const [row] = await sqlRows<{ n: string }>(
    dataSource.manager,
    `SELECT coalesce(sum("n"), 0)::text AS "n" FROM "loyalty_count"
      WHERE "channel_id" = $1 AND "subject" = $2 AND "key" = $3`,
    [channelId, subject, key],
  );
  return Number(row.n);
}
