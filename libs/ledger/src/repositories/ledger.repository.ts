import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { formatAmount, type MinorUnits, minorFromDecimalText } from '@app/common';
import { ADVISORY_LOCK_KEYS, sqlRows } from '@app/database';
import { DataSource, type EntityManager } from 'typeorm';
import { LoyaltyIdempotencyKey } from '../entities/loyalty-idempotency-key.entity';
import { type AccountKind, LoyaltyAccount, type SystemAccountKind } from '../entities/loyalty-account.entity';
import { LoyaltyTransaction, ORDER_EARNING_REASON, type TransactionKind } from '../entities/loyalty-transaction.entity';
import { LoyaltyTransfer } from '../entities/loyalty-transfer.entity';
import { accountColumns, type AccountRow, toAccount } from './account-row';

export type NewAccount = Omit<LoyaltyAccount, 'id'>;
export type NewTransaction = Omit<LoyaltyTransaction, 'id' | 'refundedTransaction'>;
export type NewTransfer = Omit<LoyaltyTransfer, 'id' | 'transaction' | 'account'>;

const ACCOUNT_COLUMNS = accountColumns();

/**
 * Plain data access of the ledger's writes and locks; no business rules. Every method takes the EntityManager of
 * the caller's database transaction (`transaction`), or `outside` for a read on the pool. The statements every money operation runs (account reads, locks, balance
 * updates, transaction and posting inserts) are written as plain parameterised SQL: the query builder cost more CPU
 * per statement than the database spent on it (see docs/benchmarks.md).
 */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The pool, for a statement outside any transaction (a read, or a short write of its own). */
  get outside(): EntityManager {
    return this.dataSource.manager;
  }

  /** Runs `work` in one READ COMMITTED transaction (every connection's default: naming it would cost a round trip). */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Inserts an idempotency key's row (no result yet) unless the channel has one: true when this caller's row
   * went in. A concurrent insert of the same key blocks on the unique index until the other transaction ends.
   */
  async claimIdempotencyKey(
    m: EntityManager,
    row: Pick<LoyaltyIdempotencyKey, 'channelId' | 'key' | 'operation' | 'fingerprint' | 'createdDate'>,
  ): Promise<boolean> {
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(LoyaltyIdempotencyKey)
      .values({ ...row, result: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  /** The channel's row for an idempotency key (there is one: the caller's claim found it). */
  idempotencyRecord(m: EntityManager, channelId: number, key: string): Promise<LoyaltyIdempotencyKey> {
    return m.getRepository(LoyaltyIdempotencyKey).findOneByOrFail({ channelId, key });
  }

  /** Stores the result of the operation an idempotency key was claimed for. */
  async storeIdempotentResult(
    m: EntityManager,
    channelId: number,
    key: string,
    result: LoyaltyIdempotencyKey['result'],
  ): Promise<void> {
    await m.getRepository(LoyaltyIdempotencyKey).update({ channelId, key }, { result });
  }

  async findAccount(m: EntityManager, channelId: number, id: number): Promise<LoyaltyAccount | null> {
    const rows = await sqlRows<AccountRow>(
      m,
      `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_account WHERE channel_id = $1 AND id = $2`,
      [channelId, id],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  findAccountByNumber(
    m: EntityManager,
    channelId: number,
    currency: string,
    number: string,
  ): Promise<LoyaltyAccount | null> {
    return m.getRepository(LoyaltyAccount).findOneBy({ channelId, currency, number });
  }

  findCustomerAccount(
    m: EntityManager,
    channelId: number,
    userId: number,
    currency: string,
  ): Promise<LoyaltyAccount | null> {
    return m.getRepository(LoyaltyAccount).findOneBy({ channelId, userId, currency, kind: 'customer' });
  }

  findSystemAccount(
    m: EntityManager,
    channelId: number,
    kind: SystemAccountKind,
    currency: string,
  ): Promise<LoyaltyAccount | null> {
    return m.getRepository(LoyaltyAccount).findOneBy({ channelId, currency, kind });
  }

  /**
   * Row-locks accounts that keep a running balance, always in ascending id order: two transactions locking the
   * same accounts then queue instead of deadlocking. Returns them as locked (fresh balances).
   * FOR NO KEY UPDATE (what an UPDATE of the balance takes anyway) rather than FOR UPDATE: it excludes other
   * balance writers but not the FOR KEY SHARE lock that inserting a posting (foreign key check) takes.
   */
  async lockAccounts(m: EntityManager, ids: readonly number[]): Promise<Map<number, LoyaltyAccount>> {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    const locked = new Map<number, LoyaltyAccount>();
    if (sorted.length === 0) return locked;
    const rows = await sqlRows<AccountRow>(
      m,
      `SELECT ${ACCOUNT_COLUMNS} FROM loyalty_account WHERE id = ANY($1::int[]) ORDER BY id ASC FOR NO KEY UPDATE`,
      [sorted],
    );
    for (const row of rows) locked.set(row.id, toAccount(row));
    return locked;
  }

  async insertAccount(m: EntityManager, account: NewAccount): Promise<LoyaltyAccount> {
    const result = await m.getRepository(LoyaltyAccount).insert(account);
    const id = (result.identifiers[0] as { id: number }).id;
    return { ...account, id };
  }

  /** Creates the account unless a row with its number (or unique kind) exists; concurrent callers both succeed. */
  async insertAccountIfMissing(m: EntityManager, account: NewAccount): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(LoyaltyAccount)
      .values(account)
      .orIgnore() // ON CONFLICT DO NOTHING: the unique indexes decide, the loser waits for the winner's commit.
      .execute();
  }

  async setBalance(m: EntityManager, id: number, balance: MinorUnits, now: Date): Promise<void> {
    await sqlRows(m, 'UPDATE loyalty_account SET balance = $1, modified_date = $2 WHERE id = $3', [
      formatAmount(balance),
      now,
      id,
    ]);
  }

  async insertTransaction(m: EntityManager, t: NewTransaction): Promise<LoyaltyTransaction> {
    const rows = await sqlRows<{ id: number }>(
      m,
      `INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, order_id, order_number, user_id,
         reference, actor_id, reason, idempotency_key, refunded_transaction_id, earning_shortfall, created_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
      [
        t.uuid,
        t.channelId,
        t.kind,
        t.currency,
        formatAmount(t.amount),
        t.orderId,
        t.orderNumber,
        t.userId,
        t.reference,
        t.actorId,
        t.reason,
        t.idempotencyKey,
        t.refundedTransactionId,
        formatAmount(t.earningShortfall),
        t.createdDate,
      ],
    );
    return Object.assign(new LoyaltyTransaction(), { ...t, id: rows[0].id });
  }

  async insertTransfers(m: EntityManager, transfers: NewTransfer[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = transfers.map((t, i) => {
      values.push(
        t.transactionId,
        t.accountId,
        t.channelId,
        t.currency,
        formatAmount(t.amount),
        t.balanceAfter === null ? null : formatAmount(t.balanceAfter),
        t.createdDate,
      );
      const at = i * 7;
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7})`;
    });
    await sqlRows(
      m,
      `INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, balance_after, created_date)
       VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /**
   * The balance of accounts without a running balance (the system accounts): the sum of their postings, kept in
   * striped totals by a trigger (migration 1765080000000), so reading it costs at most 16 rows whatever the history.
   */
  async systemBalances(m: EntityManager, accountIds: readonly number[]): Promise<Map<number, MinorUnits>> {
    const sums = new Map<number, MinorUnits>(accountIds.map((id) => [id, 0n]));
    if (accountIds.length === 0) return sums;
    const rows = await sqlRows<{ account_id: number; total: string }>(
      m,
      `SELECT "account_id", sum("balance")::text AS "total" FROM "loyalty_system_balance"
        WHERE "account_id" = ANY($1::int[]) GROUP BY "account_id"`,
      [accountIds],
    );
    for (const row of rows) sums.set(row.account_id, minorFromDecimalText(row.total));
    return sums;
  }

  /**
   * Serialises everything that reads-then-writes the refund totals of one order (refund, cross-refund, payment)
   * until the database transaction ends. Collisions of the hashed key only serialise two orders needlessly.
   */
  async lockOrder(m: EntityManager, channelId: number, orderNumber: string): Promise<void> {
    await sqlRows(m, 'SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      ADVISORY_LOCK_KEYS.orderRefunds,
      `${channelId}:${orderNumber}`,
    ]);
  }

  findTransactionByUuid(m: EntityManager, channelId: number, uuid: string): Promise<LoyaltyTransaction | null> {
    return m.getRepository(LoyaltyTransaction).findOneBy({ channelId, uuid });
  }

  findOrderPayment(m: EntityManager, channelId: number, orderNumber: string): Promise<LoyaltyTransaction | null> {
    return m.getRepository(LoyaltyTransaction).findOneBy({ channelId, orderNumber, kind: 'order_payment' });
  }

  /** What the given kinds of transactions of one order moved in total. */
  async sumOrderTransactions(
    m: EntityManager,
    channelId: number,
    orderNumber: string,
    kinds: readonly TransactionKind[],
  ): Promise<MinorUnits> {
    const rows = await sqlRows<{ total: string }>(
      m,
      `SELECT coalesce(sum("amount"), 0)::text AS "total" FROM "loyalty_transaction"
        WHERE "channel_id" = $1 AND "order_number" = $2 AND "kind" = ANY($3::varchar[])`,
      [channelId, orderNumber, kinds],
    );
    return minorFromDecimalText(rows[0]?.total ?? '0');
  }

  /** The earning credited for an order (BANK -> its owner), if any. */
  findOrderEarning(m: EntityManager, channelId: number, orderNumber: string): Promise<LoyaltyTransaction | null> {
    return m.getRepository(LoyaltyTransaction).findOneBy({
      channelId,
      orderNumber,
      kind: 'transfer',
      reason: ORDER_EARNING_REASON,
    });
  }
}

export function isSystemKind(kind: AccountKind): kind is SystemAccountKind {
  return kind === 'sale' || kind === 'bank' || kind === 'refund';
}
