import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AMOUNT_MAX_MINOR, AppConfig, Clock, type MinorUnits } from '@app/common';
import type { EntityManager } from 'typeorm';
import { keepsRunningBalance, LoyaltyAccount, type SystemAccountKind } from '../entities/loyalty-account.entity';
import type { IdempotentResult } from '../entities/loyalty-idempotency-key.entity';
import {
  IDEMPOTENCY_KEY_LENGTH_MAX,
  type LoyaltyTransaction,
  type TransactionKind,
} from '../entities/loyalty-transaction.entity';
import {
  BalanceLimitError,
  IdempotencyConflictError,
  IdempotencyKeyInvalidError,
  InsufficientFundsError,
  LedgerInvariantError,
  type LedgerOperation,
} from '../errors';
import { LedgerRepository } from '../repositories/ledger.repository';

/** Who asks for a money operation and how to recognise a retry of it. */
export interface LedgerContext {
  /** The staff user or customer acting; recorded on the transaction. */
  actorId?: number | null;
  /** A client's retry token: the same key with the same request returns the first result and moves nothing. */
  idempotencyKey?: string | null;
}

export interface PostingSpec {
  /** For accounts with a running balance: the row as locked in this database transaction. */
  account: LoyaltyAccount;
  amount: MinorUnits;
}

export interface TransactionSpec {
  /** The operation it is written for: named by a refusal. */
  operation: LedgerOperation;
  channel_id: number;
  kind: TransactionKind;
  currency: string;
  postings: PostingSpec[];
  order_id?: number | null;
  order_number?: string | null;
  user_id?: number | null;
  reference?: string | null;
  actor_id?: number | null;
  reason?: string | null;
  idempotency_key?: string | null;
  refunded_transaction_id?: number | null;
  /** See LoyaltyTransaction.earning_shortfall; 0 when omitted. */
  earning_shortfall?: MinorUnits;
}

export interface RunOutcome {
  result: IdempotentResult;
  /** True when an earlier request with the same idempotency key did the work. */
  replayed: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]+$/;

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * The machinery every money operation shares: one READ COMMITTED database transaction per operation, the
 * idempotency record written in that same transaction, and `post`, the only code that writes postings.
 */
@Injectable()
export class LedgerEngine {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  static validateKey(key: string | null | undefined): string | null {
    if (key === undefined || key === null) return null;
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_LENGTH_MAX || !KEY_PATTERN.test(key)) {
      throw new IdempotencyKeyInvalidError(IDEMPOTENCY_KEY_LENGTH_MAX);
    }
    return key;
  }

  /** What identifies a request under an idempotency key: the operation and its parsed arguments, hashed. */
  static fingerprint(operation: string, request: Record<string, unknown>): string {
    return createHash('sha256').update(stableJson({ operation, request })).digest('hex');
  }

  /**
   * Runs `work` in one database transaction. With an idempotency key, the key's row is inserted first: a concurrent
   * repeat blocks on the unique index until this transaction ends, then finds the stored result (commit) or runs
   * itself (rollback: a refused request stores nothing and may be retried). Another request under the same key
   * is an IdempotencyConflictError.
   */
  async run(
    channelId: number,
    operation: string,
    request: Record<string, unknown>,
    idempotencyKey: string | null | undefined,
    work: (m: EntityManager) => Promise<IdempotentResult>,
  ): Promise<RunOutcome> {
    const key = LedgerEngine.validateKey(idempotencyKey);
    return this.repository.transaction(async (m) => {
      if (key !== null) {
        const fingerprint = LedgerEngine.fingerprint(operation, request);
        const claimed = await this.repository.claimIdempotencyKey(m, {
          channelId,
          key,
          operation,
          fingerprint,
          createdDate: this.clock.now(),
        });
        if (!claimed) {
          const first = await this.repository.idempotencyRecord(m, channelId, key);
          if (first.operation !== operation || first.fingerprint !== fingerprint || first.result === null) {
            throw new IdempotencyConflictError();
          }
          return { result: first.result, replayed: true };
        }
      }
      const result = await work(m);
      if (key !== null) await this.repository.storeIdempotentResult(m, channelId, key, result);
      return { result, replayed: false };
    });
  }

  /**
   * The system account of a kind for a channel and currency, created on first use. It runs in its own short
   * transaction before the money operation, so a first payment in a new currency does not hold the insert open.
   */
  async systemAccount(channelId: number, kind: SystemAccountKind, currency: string): Promise<LoyaltyAccount> {
    const m = this.repository.outside;
    const existing = await this.repository.findSystemAccount(m, channelId, kind, currency);
    if (existing) return existing;
    const now = this.clock.now();
    await this.repository.insertAccountIfMissing(m, {
      channelId,
      kind,
      number: this.systemNumber(kind),
      userId: null,
      currency,
      balance: 0n,
      debitAllowed: true,
      createdDate: now,
      modifiedDate: now,
    });
    const created = await this.repository.findSystemAccount(m, channelId, kind, currency);
    if (!created) throw new LedgerInvariantError(`system account ${kind}/${currency} missing after insert`);
    return created;
  }

  systemNumber(kind: SystemAccountKind): string {
    switch (kind) {
      case 'sale':
        return this.config.loyaltySaleAccountNumber;
      case 'bank':
        return this.config.loyaltyBankAccountNumber;
      case 'refund':
        return this.config.loyaltyRefundAccountNumber;
    }
  }

  isSystemNumber(number: string): boolean {
    return (['sale', 'bank', 'refund'] as const).some((kind) => this.systemNumber(kind) === number);
  }

  /**
   * Writes one balanced transaction. Asserts double entry before touching anything; updates running balances
   * (accounts the caller locked) and records each posting's balance-after. System accounts are neither locked nor
   * updated: their balance is the sum of their postings, so concurrent payments never queue on the SALE row.
   */
  async post(m: EntityManager, spec: TransactionSpec): Promise<LoyaltyTransaction> {
    const { postings } = spec;
    if (postings.length < 2) throw new LedgerInvariantError('a transaction needs two or more postings');
    let sum = 0n;
    let amount = 0n;
    const seen = new Set<number>();
    for (const { account, amount: posting } of postings) {
      if (posting === 0n) throw new LedgerInvariantError(`zero posting on account ${account.id}`);
      if (account.channelId !== spec.channel_id) throw new LedgerInvariantError('posting in another channel');
      if (account.currency !== spec.currency) throw new LedgerInvariantError('posting in another currency');
      if (seen.has(account.id)) throw new LedgerInvariantError(`account ${account.id} posted twice`);
      seen.add(account.id);
      sum += posting;
      if (posting > 0n) amount += posting;
    }
    if (sum !== 0n) throw new LedgerInvariantError(`postings sum to ${sum}, not 0`);

    const now = this.clock.now();
    const balancesAfter: (MinorUnits | null)[] = [];
    for (const { account, amount: posting } of postings) {
      if (!keepsRunningBalance(account.kind)) {
        balancesAfter.push(null);
        continue;
      }
      const after = account.balance + posting;
      // Callers check funds first; this is the last line before the CHECK constraint.
      if (after < 0n && posting < 0n && !account.debitAllowed) {
        throw new InsufficientFundsError(spec.operation, account.id);
      }
      // A running balance stays within what a client may send as an amount (AMOUNT_MAX_MINOR, both signs): every
      // page that shows it, and any later balance adjustment that names it, then reads and writes it as sent. System
      // accounts keep no running balance and are not capped: their sums grow for the life of the shop.
      if (after > AMOUNT_MAX_MINOR || after < -AMOUNT_MAX_MINOR) {
        throw new BalanceLimitError(spec.operation, AMOUNT_MAX_MINOR);
      }
      await this.repository.setBalance(m, account.id, after, now);
      account.balance = after;
      account.modifiedDate = now;
      balancesAfter.push(after);
    }

    const transaction = await this.repository.insertTransaction(m, {
      uuid: randomUUID(),
      channelId: spec.channel_id,
      kind: spec.kind,
      currency: spec.currency,
      amount,
      orderId: spec.order_id ?? null,
      orderNumber: spec.order_number ?? null,
      userId: spec.user_id ?? null,
      reference: spec.reference ?? null,
      actorId: spec.actor_id ?? null,
      reason: spec.reason ?? null,
      idempotencyKey: spec.idempotency_key ?? null,
      refundedTransactionId: spec.refunded_transaction_id ?? null,
      earningShortfall: spec.earning_shortfall ?? 0n,
      createdDate: now,
    });
    await this.repository.insertTransfers(
      m,
      postings.map(({ account, amount: posting }, index) => ({
        transactionId: transaction.id,
        accountId: account.id,
        channelId: spec.channel_id,
        currency: spec.currency,
        amount: posting,
        balanceAfter: balancesAfter[index] ?? null,
        createdDate: now,
      })),
    );
    return transaction;
  }
}
