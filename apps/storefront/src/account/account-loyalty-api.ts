import { Injectable } from '@nestjs/common';
import { type CursorPageQueryDto, NotAuthenticatedError, type Page, pageRequest, toPage } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import {
  type AccountLoyaltyTransferResponseDto,
  LedgerQueryService,
  type LoyaltyBalanceResponseDto,
  toAccountLoyaltyTransfer,
  toBalanceResponse,
} from '@app/ledger';

/**
 * The storefront's `/account/loyalty...` answers, its edge to the ledger's reads: only the signed-in user's own
 * accounts, in the session currency.
 */
@Injectable()
export class AccountLoyaltyApi {
  constructor(private readonly queries: LedgerQueryService) {}

  async balance(ctx: StorefrontRequestContext): Promise<LoyaltyBalanceResponseDto> {
    const userId = userOf(ctx);
    return toBalanceResponse(await this.queries.userBalance(ctx.channel.id, userId, ctx.currency));
  }

  async transfers(
    ctx: StorefrontRequestContext,
    query: CursorPageQueryDto,
    url: URL,
  ): Promise<Page<AccountLoyaltyTransferResponseDto>> {
    const userId = userOf(ctx);
    const page = await this.queries.userTransfers(ctx.channel.id, userId, ctx.currency, pageRequest(query));
    return toPage(page.results.map(toAccountLoyaltyTransfer), page.count, query, url, {
      next: page.next ?? null,
      previous: page.previous ?? null,
    });
  }
}

/** The controller's guard lets only signed-in sessions through; without a user this is the same 401. */
function userOf(ctx: StorefrontRequestContext): number {
  if (ctx.user === undefined) throw new NotAuthenticatedError();
  return ctx.user.id;
}
