import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed-window counters of the abuse limits when no Redis is configured (see `PostgresCounters`). */
export class RateCounters1764950000000 implements MigrationInterface {
  name = 'RateCounters1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rate_counter (
        key varchar(200) NOT NULL CONSTRAINT rate_counter_pkey PRIMARY KEY,
        hits integer NOT NULL,
        members text[] NOT NULL,
        reset_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX rate_counter_reset_at_idx ON rate_counter (reset_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_counter`);
  }
}
