import { Injectable } from '@nestjs/common';
import { NotAuthenticatedError, type Page, type PageQueryDto, toPage } from '@app/common';
import {
  type AccountLoyaltyTransferResponseDto,
  type LoyaltyBalanceResponseDto,
  toAccountLoyaltyTransfer,
  toBalanceResponse,
} from '../dtos/ledger-api.dto';
import { LedgerQueryService } from './ledger-query.service';

/** Who asks, from the storefront's request context: the ledger knows nothing of sessions. */
export interface AccountLoyaltyCaller {
  channelId: number;
  /** Undefined when the session is not signed in: a 401. */
  userId: number | undefined;
  /** The session currency: both answers cover this currency only. */
  currency: string;
}

/** The storefront's `/account/loyalty...` answers: only the signed-in user's own accounts. */
@Injectable()
export class AccountLoyaltyService {
  constructor(private readonly queries: LedgerQueryService) {}

  async balance(caller: AccountLoyaltyCaller): Promise<LoyaltyBalanceResponseDto> {
    const userId = this.requireUser(caller);
    return toBalanceResponse(await this.queries.userBalance(caller.channelId, userId, caller.currency));
  }

  async transfers(
    caller: AccountLoyaltyCaller,
    query: PageQueryDto,
    url: URL,
  ): Promise<Page<AccountLoyaltyTransferResponseDto>> {
    const userId = this.requireUser(caller);
    const page = await this.queries.userTransfers(caller.channelId, userId, caller.currency, {
      offset: query.offset,
      limit: query.page_size,
    });
    return toPage(page.results.map(toAccountLoyaltyTransfer), page.count, query, url);
  }

  private requireUser(caller: AccountLoyaltyCaller): number {
    if (caller.userId === undefined) throw new NotAuthenticatedError();
    return caller.userId;
  }
}
