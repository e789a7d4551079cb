import { DomainError, requireCurrency } from '@app/common';
import type {
  AccountListFilters,
  LedgerContext,
  LedgerOrder,
  LedgerService,
  LoyaltyAccountCreateDto,
  LoyaltyAccountService,
  LoyaltyAccountUpdateDto,
  LoyaltyCrossRefundCreateDto,
  LoyaltyRefundCreateDto,
  LoyaltyTransferCreateDto,
  PageRequest,
} from '@app/ledger';
import type { MinorUnits } from '@app/common';
import { OMNITRON_EDGE_ERRORS } from '../../apps/omnitron/src/edge-errors';
import {
  accountCreateCommand,
  accountUpdateCommand,
  crossRefundCommand,
  refundCommand,
  refuseReadOnlyChanges,
  transferCommand,
} from '../../apps/omnitron/src/ledger/ledger-commands';

/*
 * The ledger's services as the back office's edge calls them: requests in the shape of its DTOs (amounts as text,
 * ids as sent), parsed by the edge's own command builders (apps/omnitron/src/ledger/ledger-commands.ts). The
 * services' tests use these, so a test states a request as a client sends it; the errors stay the ledger's own
 * (`shownByOmnitron` gives the answer the back office makes of one).
 */

type Loose<T> = { [K in keyof T]?: unknown };
type MinorUnitsOrder = { order_number: string; amount_minor: MinorUnits };

export function adminLedger(core: LedgerService) {
  return {
    core,
    transfer: async (channelId: number, dto: Loose<LoyaltyTransferCreateDto>, ctx?: LedgerContext) =>
      core.transfer(channelId, transferCommand(dto as LoyaltyTransferCreateDto), ctx),
    transferOnly: async (channelId: number, dto: Loose<LoyaltyTransferCreateDto>, ctx?: LedgerContext) =>
      core.transferOnly(channelId, transferCommand(dto as LoyaltyTransferCreateDto), ctx),
    refund: async (channelId: number, dto: Loose<LoyaltyRefundCreateDto>, ctx?: LedgerContext) =>
      core.refund(channelId, refundCommand(dto as LoyaltyRefundCreateDto), ctx),
    crossRefund: async (channelId: number, dto: Loose<LoyaltyCrossRefundCreateDto>, ctx?: LedgerContext) =>
      core.crossRefund(channelId, crossRefundCommand(dto as LoyaltyCrossRefundCreateDto), ctx),
    /** Checkout's calls, in the shape the tests were written in. */
    payOrder: async (channelId: number, input: MinorUnitsOrder & { order?: LedgerOrder }, ctx?: LedgerContext) =>
      core.payOrder(
        channelId,
        { orderNumber: input.order_number, amount: input.amount_minor, order: input.order },
        ctx,
      ),
    creditOrderEarning: async (channelId: number, input: MinorUnitsOrder) =>
      core.creditOrderEarning(channelId, { orderNumber: input.order_number, amount: input.amount_minor }),
    orderPayment: (channelId: number, orderNumber: string) => core.orderPayment(channelId, orderNumber),
  };
}
export type AdminLedger = ReturnType<typeof adminLedger>;

export function adminAccounts(core: LoyaltyAccountService) {
  return {
    core,
    /** `kind` is not a field of the API (it always opens customer accounts): tests open invoice accounts with it. */
    create: async (
      channelId: number,
      dto: Loose<LoyaltyAccountCreateDto> & { kind?: 'customer' | 'invoice' },
      ctx?: LedgerContext,
    ) =>
      core.create(
        channelId,
        { ...accountCreateCommand(dto as LoyaltyAccountCreateDto), kind: dto.kind ?? 'customer' },
        ctx,
      ),
    /** As the API's PATCH: read-only fields are accepted only unchanged. */
    update: async (channelId: number, accountId: number, dto: Loose<LoyaltyAccountUpdateDto>, ctx?: LedgerContext) => {
      refuseReadOnlyChanges(await core.get(channelId, accountId), dto as LoyaltyAccountUpdateDto);
      return core.update(channelId, accountId, accountUpdateCommand(dto as LoyaltyAccountUpdateDto), ctx);
    },
    get: (channelId: number, accountId: number) => core.get(channelId, accountId),
    assertExists: (channelId: number, accountId: number) => core.assertExists(channelId, accountId),
    list: async (channelId: number, filters: AccountListFilters = {}, ordering?: string, page?: PageRequest) =>
      core.list(
        channelId,
        {
          ...filters,
          currency: filters.currency === undefined ? undefined : requireCurrency('currency', filters.currency),
        },
        ordering,
        page,
      ),
    views: core.views.bind(core),
  };
}
export type AdminAccounts = ReturnType<typeof adminAccounts>;

/** The error as the back office answers it: a lib's domain error through its edge table, anything else as it is. */
export function shownByOmnitron(error: unknown): unknown {
  return error instanceof DomainError ? (OMNITRON_EDGE_ERRORS.toHttp(error) ?? error) : error;
}
