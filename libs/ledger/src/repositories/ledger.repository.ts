import { Injectable } from '@nestjs/common';
import { type MinorUnits, minorFromDecimalText } from '@app/common';
import { type EntityManager, QueryFailedError } from 'typeorm';
import { type AccountKind, LoyaltyAccount, type SystemAccountKind } from '../entities/loyalty-account.entity';
import { LoyaltyTransaction, type TransactionKind } from '../entities/loyalty-transaction.entity';
import { LoyaltyTransfer } from '../entities/loyalty-transfer.entity';

/** Fixed first half of the two-key advisory lock that serialises the refunds of one order. */
const ORDER_LOCK_CLASS = 0x4c4f5944; // "LOYD"

export type NewAccount = Omit<LoyaltyAccount, 'id'>;
export type NewTransaction = Omit<LoyaltyTransaction, 'id' | 'refunded_transaction'>;
export type NewTransfer = Omit<LoyaltyTransfer, 'id' | 'transaction' | 'account'>;

/** The unique index a failed INSERT tripped over, or undefined for any other error. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? (driverError.constraint ?? '') : undefined;
}

/**
 * Plain data access of the ledger's writes and locks; no business rules. Every method takes the EntityManager of
 * the caller's database transaction.
 */
@Injectable()
export class LedgerRepository {
  findAccount(m: EntityManager, channelId: number, id: number): Promise<LoyaltyAccount | null> {
    return m.getRepository(LoyaltyAccount).findOneBy({ channel_id: channelId, id });
  }

  findAccountByNumber(
    m: EntityManager,
    channelId: number,
    currency: string,
    number: string,
  ): Promise<LoyaltyAccount | null> {
    return m.getRepository(LoyaltyAccount).findOneBy({ channel_id: channelId, currency, number });
  }

  findCustomerAccount(
    m: EntityManager,
    channelId: number,
    userId: number,
    currency: string,
  ): Promise<LoyaltyAccount | null> {
    return m
      .getRepository(LoyaltyAccount)
      .findOneBy({ channel_id: channelId, user_id: userId, currency, kind: 'customer' });
  }

  findSystemAccount(
    m: EntityManager,
    channelId: number,
    kind: SystemAccountKind,
    currency: string,
  ): Promise<LoyaltyAccount | null> {
    return m.getRepository(LoyaltyAccount).findOneBy({ channel_id: channelId, currency, kind });
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
    const rows = await m
      .getRepository(LoyaltyAccount)
      .createQueryBuilder('a')
      .setLock('for_no_key_update')
      .where('a.id IN (:...ids)', { ids: sorted })
      .orderBy('a.id', 'ASC')
      .getMany();
    for (const row of rows) locked.set(row.id, row);
    return locked;
  }

  /** The user's spendable accounts (customer and invoice) in one currency, row-locked in ascending id order. */
  lockSpendableAccounts(m: EntityManager, channelId: number, userId: number, currency: string) {
    return m
      .getRepository(LoyaltyAccount)
      .createQueryBuilder('a')
      .setLock('for_no_key_update')
      .where('a.channel_id = :channelId AND a.user_id = :userId AND a.currency = :currency', {
        channelId,
        userId,
        currency,
      })
      .andWhere(`a.kind IN ('customer', 'invoice')`)
      .orderBy('a.id', 'ASC')
      .getMany();
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
    await m.getRepository(LoyaltyAccount).update({ id }, { balance, modified_date: now });
  }

  async setDebitAllowed(m: EntityManager, id: number, debitAllowed: boolean, now: Date): Promise<void> {
    await m.getRepository(LoyaltyAccount).update({ id }, { debit_allowed: debitAllowed, modified_date: now });
  }

  async insertTransaction(m: EntityManager, transaction: NewTransaction): Promise<LoyaltyTransaction> {
    const result = await m.getRepository(LoyaltyTransaction).insert(transaction);
    const id = (result.identifiers[0] as { id: number }).id;
    return { ...transaction, id };
  }

  async insertTransfers(m: EntityManager, transfers: NewTransfer[]): Promise<void> {
    await m.getRepository(LoyaltyTransfer).insert(transfers);
  }

  /** Sum of each account's postings: the balance of accounts without a running balance. */
  async sumPostings(m: EntityManager, accountIds: readonly number[]): Promise<Map<number, MinorUnits>> {
    const sums = new Map<number, MinorUnits>(accountIds.map((id) => [id, 0n]));
    if (accountIds.length === 0) return sums;
    const rows: { account_id: number; total: string }[] = await m.query(
      `SELECT "account_id", sum("amount")::text AS "total" FROM "loyalty_transfer"
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
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_CLASS, `${channelId}:${orderNumber}`]);
  }

  findTransactionByUuid(m: EntityManager, channelId: number, uuid: string): Promise<LoyaltyTransaction | null> {
    return m.getRepository(LoyaltyTransaction).findOneBy({ channel_id: channelId, uuid });
  }

  findOrderPayment(m: EntityManager, channelId: number, orderNumber: string): Promise<LoyaltyTransaction | null> {
    return m
      .getRepository(LoyaltyTransaction)
      .findOneBy({ channel_id: channelId, order_number: orderNumber, kind: 'order_payment' });
  }

  /** What the given kinds of transactions of one order moved in total. */
  async sumOrderTransactions(
    m: EntityManager,
    channelId: number,
    orderNumber: string,
    kinds: readonly TransactionKind[],
  ): Promise<MinorUnits> {
    const rows: { total: string }[] = await m.query(
      `SELECT coalesce(sum("amount"), 0)::text AS "total" FROM "loyalty_transaction"
        WHERE "channel_id" = $1 AND "order_number" = $2 AND "kind" = ANY($3::varchar[])`,
      [channelId, orderNumber, kinds],
    );
    return minorFromDecimalText(rows[0]?.total ?? '0');
  }

  async sumRefundsOf(m: EntityManager, paymentId: number): Promise<MinorUnits> {
    const rows: { total: string }[] = await m.query(
      `SELECT coalesce(sum("amount"), 0)::text AS "total" FROM "loyalty_transaction"
        WHERE "refunded_transaction_id" = $1 AND "kind" = 'refund'`,
      [paymentId],
    );
    return minorFromDecimalText(rows[0]?.total ?? '0');
  }
}

export function isSystemKind(kind: AccountKind): kind is SystemAccountKind {
  return kind === 'sale' || kind === 'bank' || kind === 'refund';
}
