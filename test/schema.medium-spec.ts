import { DataSource } from 'typeorm';
import { dataSourceOptions, sqlRows } from '@app/database';
import { QueryFailedError } from 'typeorm';
import { createTestDatabase } from './helpers/database';
import { LoyaltyOwnership1764900000000 } from '../libs/database/src/migrations/1764900000000-LoyaltyOwnership';
import { OrderCancelReason1765010000000 } from '../libs/database/src/migrations/1765010000000-OrderCancelReason';
import { LedgerBigintIds1765110000000 } from '../libs/database/src/migrations/1765110000000-LedgerBigintIds';
import { LedgerReversalFromInvoice1765140000000 } from '../libs/database/src/migrations/1765140000000-LedgerReversalFromInvoice';

describe('database schema', () => {
  it('is exactly what the entities describe once the migrations ran (no migration is missing)', async () => {
    const dataSource = await openDataSource(await createTestDatabase());
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('migration LoyaltyOwnership', () => {
  it('gives each existing local provider member a channel: its card user’s, or the first channel', async () => {
    const dataSource = await openDataSource(await createTestDatabase());
    const migration = new LoyaltyOwnership1764900000000();
    const q = dataSource.createQueryRunner();
    try {
      await migration.down(q);
      const [{ id: other }] = await q.query(
        `INSERT INTO channels (name, default_currency, currencies, default_language)
         VALUES ('Other', 'usd', '{usd}', 'en') RETURNING id`,
      );
      const [{ id: userId }] = await q.query(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES ($1, 'u', 'u@example.com', 'u@example.com', 'x', now(), now()) RETURNING id`,
        [other],
      );
      for (const number of ['111', '222']) {
        await q.query(
          `INSERT INTO local_loyalty_account (account_number, email, phone, first_name, last_name, gender)
           VALUES ($1, 'm@example.com', '+905550000000', 'M', 'M', 'male')`,
          [number],
        );
      }
      await q.query(
        `INSERT INTO loyalty_card (channel_id, user_id, number, account_number) VALUES ($1, $2, '+905550000000', '111')`,
        [other, userId],
      );
      await migration.up(q);
      const rows = await q.query('SELECT account_number, channel_id FROM local_loyalty_account ORDER BY 1');
      expect(rows).toEqual([
        { account_number: '111', channel_id: other },
        { account_number: '222', channel_id: 1 },
      ]);
    } finally {
      await q.release();
      await dataSource.destroy();
    }
  });
});

describe('the ledger migrations that edit installed functions', () => {
  it('undo and redo: bigint ids (columns, sequences, function types) and the reversal from an invoice account', async () => {
    const dataSource = await openDataSource(await createTestDatabase());
    const q = dataSource.createQueryRunner();
    const shape = async () => ({
      columns: await q.query(
        `SELECT table_name || '.' || column_name || ' ' || data_type AS c FROM information_schema.columns
          WHERE (table_name, column_name) IN (('loyalty_transfer', 'id'), ('loyalty_transfer', 'transaction_id'),
                ('loyalty_transaction', 'id'), ('loyalty_transaction', 'refunded_transaction_id'),
                ('loyalty_idempotency_key', 'id')) ORDER BY 1`,
      ),
      sequence: await q.query(
        `SELECT data_type FROM information_schema.sequences WHERE sequence_name = 'loyalty_transfer_id_seq'`,
      ),
      refund:
        await q.query(`SELECT pg_get_function_arguments('ledger_refund'::regproc) LIKE '%p_payment_id bigint%' AS bigint,
                                    prosrc LIKE '%from_destination%' AS invoice FROM pg_proc WHERE proname = 'ledger_refund'`),
    });
    try {
      const migrated = await shape();
      expect(migrated.columns.map((r: { c: string }) => r.c.endsWith(' bigint'))).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect(migrated.sequence).toEqual([{ data_type: 'bigint' }]);
      expect(migrated.refund).toEqual([{ bigint: true, invoice: true }]);
      await new LedgerReversalFromInvoice1765140000000().down(q);
      await new LedgerBigintIds1765110000000().down(q);
      const undone = await shape();
      expect(undone.columns.map((r: { c: string }) => r.c.endsWith(' integer'))).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect(undone.sequence).toEqual([{ data_type: 'integer' }]);
      expect(undone.refund).toEqual([{ bigint: false, invoice: false }]);
      await new LedgerBigintIds1765110000000().up(q);
      await new LedgerReversalFromInvoice1765140000000().up(q);
      expect(await shape()).toEqual(migrated);
    } finally {
      await q.release();
      await dataSource.destroy();
    }
  });
});

describe('migration OrderCancelReason', () => {
  it('gives orders cancelled before it the reason their rows show, and no other order one', async () => {
    const dataSource = await openDataSource(await createTestDatabase());
    const migration = new OrderCancelReason1765010000000();
    const q = dataSource.createQueryRunner();
    try {
      await migration.down(q);
      const [{ id: userId }] = await q.query(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, 'c', 'c@example.com', 'c@example.com', 'x', now(), now()) RETURNING id`,
      );
      const order = async (n: number, status: string, settled: string | null, charge: string | null) => {
        const [{ id }] = await q.query(
          `INSERT INTO orders (number, channel_id, user_id, currency, items, total_amount, loyalty_amount, card_amount,
             status, payment_option, settled_action)
           VALUES ($1, 1, $2, 'try', '[]', 10, 0, 10, $3, 'credit_card', $4) RETURNING id`,
          [String(n).padStart(16, '0'), userId, status, settled],
        );
        if (charge !== null) {
          await q.query(
            `INSERT INTO card_charge (order_id, gateway, reference, amount, interest_amount, currency, installment_count,
               status, decline_reason) VALUES ($1, 'sandbox', '', 10, 0, 'try', 1, $2, $3)`,
            [id, charge, charge === 'declined' ? 'insufficient_funds' : null],
          );
        }
        return id as number;
      };
      const ids = [
        await order(1, 'cancelled', null, 'declined'),
        await order(2, 'cancelled', null, 'voided'),
        await order(3, 'cancelled', 'cancel', 'voided'),
        await order(4, 'cancelled', null, null),
        await order(5, 'completed', null, 'approved'),
      ];
      await migration.up(q);
      const rows = await q.query('SELECT id, cancel_reason, cancel_detail FROM orders WHERE id = ANY($1) ORDER BY id', [
        ids,
      ]);
      expect(rows).toEqual([
        { id: ids[0], cancel_reason: 'card_declined', cancel_detail: 'insufficient_funds' },
        {
          id: ids[1],
          cancel_reason: 'store_credit_refused',
          cancel_detail: 'inferred when cancel reasons were introduced',
        },
        { id: ids[2], cancel_reason: 'staff_cancelled', cancel_detail: null },
        {
          id: ids[3],
          cancel_reason: 'placement_unfinished',
          cancel_detail: 'inferred when cancel reasons were introduced',
        },
        { id: ids[4], cancel_reason: null, cancel_detail: null },
      ]);
      await expect(
        q.query(`UPDATE orders SET cancel_reason = 'card_declined' WHERE id = $1`, [ids[4]]),
      ).rejects.toThrow(/chk_orders_cancel_reason/);
    } finally {
      await q.release();
      await dataSource.destroy();
    }
  });
});

describe('database sessions', () => {
  it('run in READ COMMITTED even where the database defaults to another level', async () => {
    const url = await createTestDatabase();
    const database = new URL(url).pathname.slice(1);
    const dataSource = await openDataSource(url);
    try {
      await dataSource.query(`ALTER DATABASE "${database}" SET default_transaction_isolation = 'serializable'`);
      const plain = new DataSource({ type: 'postgres', url });
      await plain.initialize();
      const fresh = await openDataSource(url);
      try {
        // The database setting is real: a connection without the app's options gets it.
        expect(await isolationOf(plain)).toBe('serializable');
        expect(await isolationOf(fresh)).toBe('read committed');
      } finally {
        await plain.destroy();
        await fresh.destroy();
      }
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('sqlRows', () => {
  it('answers rows inside and outside a transaction, on the transaction’s own connection, and fails as m.query', async () => {
    const dataSource = await openDataSource(await createTestDatabase());
    try {
      await dataSource.query('CREATE TABLE sql_rows_probe (id int PRIMARY KEY, n int NOT NULL CHECK (n >= 0))');
      const outside = await sqlRows<{ id: number }>(
        dataSource.manager,
        'INSERT INTO sql_rows_probe VALUES ($1, $2) RETURNING id',
        [1, 5],
      );
      expect(outside).toEqual([{ id: 1 }]);
      expect(await sqlRows(dataSource.manager, 'UPDATE sql_rows_probe SET n = n + 1', [])).toEqual([]);
      await expect(
        dataSource.transaction(async (m) => {
          const pid = await sqlRows<{ pid: number }>(m, 'SELECT pg_backend_pid() AS pid', []);
          const viaTypeorm: { pid: number }[] = await m.query('SELECT pg_backend_pid() AS pid');
          expect(pid).toEqual(viaTypeorm);
          await sqlRows(m, 'UPDATE sql_rows_probe SET n = $1 WHERE id = $2', [100, 1]);
          await sqlRows(m, 'UPDATE sql_rows_probe SET n = $1 WHERE id = $2', [-1, 1]);
        }),
      ).rejects.toBeInstanceOf(QueryFailedError);
      // The failed transaction rolled back, the first update with it.
      expect(await sqlRows(dataSource.manager, 'SELECT n FROM sql_rows_probe', [])).toEqual([{ n: 6 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});

/** A data source with the app's connection settings. */
function openDataSource(url: string): Promise<DataSource> {
  return new DataSource(dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: 60_000 })).initialize();
}

async function isolationOf(dataSource: DataSource): Promise<string> {
  return dataSource.transaction(async (m) => {
    const rows: { transaction_isolation: string }[] = await m.query('SHOW transaction_isolation');
    return rows[0].transaction_isolation;
  });
}
