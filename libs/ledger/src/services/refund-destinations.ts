import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { LoyaltyAccount } from '../entities/loyalty-account.entity';
import { InvoiceOfOtherUserError, LedgerInvariantError, type LedgerOperation } from '../errors';
import { LedgerRepository } from '../repositories/ledger.repository';

/** The owner's account that refunded or earned money goes to, opened when missing. */
@Injectable()
export class RefundDestinations {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Where refunded money goes, row-locked: the owner's customer account (opened if missing) or, with an invoice
   * number, the invoice account of that number (opened if missing; refused if it belongs to anyone else).
   */
  async lock(
    m: EntityManager,
    channelId: number,
    userId: number,
    currency: string,
    invoice: string | null,
    operation: LedgerOperation,
  ): Promise<{ destination: LoyaltyAccount; locked: Map<number, LoyaltyAccount> }> {
    const now = this.clock.now();
    const fresh = {
      channelId,
      userId,
      currency,
      balance: 0n,
      debitAllowed: false,
      createdDate: now,
      modifiedDate: now,
    };
    let account: LoyaltyAccount | null;
    if (invoice === null) {
      account = await this.repository.findCustomerAccount(m, channelId, userId, currency);
      if (!account) {
        await this.repository.insertAccountIfMissing(m, {
          ...fresh,
          kind: 'customer',
          number: randomUUID().replace(/-/g, ''),
        });
        account = await this.repository.findCustomerAccount(m, channelId, userId, currency);
      }
    } else {
      account = await this.repository.findAccountByNumber(m, channelId, currency, invoice);
      if (!account) {
        await this.repository.insertAccountIfMissing(m, { ...fresh, kind: 'invoice', number: invoice });
        account = await this.repository.findAccountByNumber(m, channelId, currency, invoice);
      }
      if (account && (account.kind !== 'invoice' || account.userId !== userId)) {
        throw new InvoiceOfOtherUserError(operation);
      }
    }
    if (!account) throw new LedgerInvariantError('refund destination missing after insert');
    const locked = await this.repository.lockAccounts(m, [account.id]);
    return { destination: locked.get(account.id)!, locked };
  }
}
