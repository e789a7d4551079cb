import { Injectable } from '@nestjs/common';
import {
  type Page,
  type PageCursor,
  type PageCursors,
  pageRequest,
  requireCurrency,
  toPage,
  ValidationFailedError,
} from '@app/common';
import {
  AccountNotFoundError,
  type LedgerContext,
  LedgerQueryService,
  LedgerService,
  LoyaltyAccountService,
  type LoyaltyAccountCreateDto,
  type LoyaltyAccountListQueryDto,
  type LoyaltyAccountResponseDto,
  type LoyaltyAccountUpdateDto,
  type LoyaltyCrossRefundCreateDto,
  type LoyaltyRefundCreateDto,
  type LoyaltyRefundResponseDto,
  type LoyaltyTransactionListQueryDto,
  type LoyaltyTransactionResponseDto,
  type LoyaltyTransferAdminResponseDto,
  type LoyaltyTransferCreateDto,
  type LoyaltyTransferListQueryDto,
  toAccountResponse,
  toRefundResponse,
  toTransactionResponse,
  toTransferAdminResponse,
} from '@app/ledger';
import { type DynamicSettings, type DynamicSettingsPatchDto, DynamicSettingsService } from '@app/settings';
import {
  accountCreateCommand,
  accountUpdateCommand,
  crossRefundCommand,
  named,
  refundCommand,
  refuseReadOnlyChanges,
  transferCommand,
} from './ledger-commands';

/** A keyset page's neighbours; undefined for a page by number only (the account list by balance, modified_date). */
const cursorsOf = (page: { next?: PageCursor | null; previous?: PageCursor | null }): PageCursors | undefined =>
  page.next === undefined && page.previous === undefined
    ? undefined
    : { next: page.next ?? null, previous: page.previous ?? null };

/** A list filter's currency as the ledger stores it (lower case); the DTO has checked its shape. */
const currencyFilter = (currency: string | undefined) =>
  currency === undefined ? undefined : requireCurrency('currency', currency);

/**
 * The back-office API of the ledger (`/api/v1/remote/{channel_id}/...`), the omnitron's edge to it: request DTOs
 * become the ledger's commands (ledger-commands.ts), its views the contract's response DTOs, so each controller
 * method is one call. The ledger's errors become responses by the app's table (edge-errors.ts).
 */
@Injectable()
export class LedgerAdminApi {
  constructor(
    private readonly accounts: LoyaltyAccountService,
    private readonly ledger: LedgerService,
    private readonly queries: LedgerQueryService,
    private readonly settings: DynamicSettingsService,
  ) {}

  async createAccount(
    channelId: number,
    dto: LoyaltyAccountCreateDto,
    ctx: LedgerContext,
  ): Promise<LoyaltyAccountResponseDto> {
    return toAccountResponse(await this.accounts.create(channelId, accountCreateCommand(dto), ctx));
  }

  async listAccounts(channelId: number, query: LoyaltyAccountListQueryDto, url: URL) {
    const { user, user_email, currency, number } = query;
    const page = await this.accounts.list(
      channelId,
      { user, user_email, currency: currencyFilter(currency), number },
      query.ordering ?? 'pk',
      pageRequest(query),
    );
    return toPage(page.results.map(toAccountResponse), page.count, query, url, cursorsOf(page));
  }

  async getAccount(channelId: number, accountId: number): Promise<LoyaltyAccountResponseDto> {
    return toAccountResponse(await this.accounts.get(channelId, accountId));
  }

  /** Only balance, debit_allowed and reason change; the other fields are accepted only as they are. */
  async updateAccount(
    channelId: number,
    accountId: number,
    dto: LoyaltyAccountUpdateDto,
    ctx: LedgerContext,
  ): Promise<LoyaltyAccountResponseDto> {
    // Compared with the row as it is now, not with an instance's memory of it.
    const current = await this.accounts.getUncached(channelId, accountId);
    refuseReadOnlyChanges(current, dto);
    const view = await this.accounts.update(channelId, accountId, accountUpdateCommand(dto), ctx);
    return toAccountResponse(view);
  }

  /** The account in the path must take part: a staff screen transfers from or to the account it shows. */
  async createTransfer(
    channelId: number,
    pathAccountId: number,
    dto: LoyaltyTransferCreateDto,
    ctx: LedgerContext,
  ): Promise<void> {
    const command = transferCommand(dto);
    const pathRole =
      command.sourceId === pathAccountId
        ? 'source'
        : command.destinationId === pathAccountId
          ? 'destination'
          : undefined;
    if (!pathRole) {
      await this.accounts.assertExists(channelId, pathAccountId);
      throw ValidationFailedError.forField('non_field_errors', 'ledger.path_account_not_in_transfer');
    }
    // The transfer reads both accounts anyway: an unknown path account is its "not found" in that role, answered
    // as the 404 of the path. The endpoint answers 204, so no transaction view is read back.
    try {
      await this.ledger.transferOnly(channelId, command, ctx);
    } catch (error) {
      if (error instanceof AccountNotFoundError && error.role === pathRole) {
        throw new AccountNotFoundError('account_read', null, pathAccountId);
      }
      throw error;
    }
  }

  async listTransfers(
    channelId: number,
    query: LoyaltyTransferListQueryDto,
    url: URL,
  ): Promise<Page<LoyaltyTransferAdminResponseDto>> {
    const page = await this.queries.listTransfers(
      channelId,
      {
        account: query.account,
        user: query.user,
        order: query.order,
        currency: currencyFilter(query.currency),
        created_from: query.created_date__gte === undefined ? undefined : new Date(query.created_date__gte),
        created_to: query.created_date__lt === undefined ? undefined : new Date(query.created_date__lt),
      },
      pageRequest(query),
    );
    return toPage(page.results.map(toTransferAdminResponse), page.count, query, url, cursorsOf(page));
  }

  async listTransactions(
    channelId: number,
    query: LoyaltyTransactionListQueryDto,
    url: URL,
  ): Promise<Page<LoyaltyTransactionResponseDto>> {
    const page = await this.queries.listTransactions(
      channelId,
      { order: query.order, user: query.user, kind: query.kind },
      pageRequest(query),
    );
    return toPage(page.results.map(toTransactionResponse), page.count, query, url, cursorsOf(page));
  }

  async getTransaction(channelId: number, uuid: string): Promise<LoyaltyTransactionResponseDto> {
    return toTransactionResponse(await this.queries.getTransaction(channelId, uuid));
  }

  async refund(channelId: number, dto: LoyaltyRefundCreateDto, ctx: LedgerContext): Promise<LoyaltyRefundResponseDto> {
    return toRefundResponse(await this.ledger.refund(channelId, refundCommand(dto), ctx));
  }

  async crossRefund(
    channelId: number,
    dto: LoyaltyCrossRefundCreateDto,
    ctx: LedgerContext,
  ): Promise<LoyaltyRefundResponseDto> {
    return toRefundResponse(await this.ledger.crossRefund(channelId, crossRefundCommand(dto), ctx));
  }

  getSettings(channelId: number): Promise<DynamicSettings> {
    return this.settings.get(channelId);
  }

  patchSettings(channelId: number, patch: DynamicSettingsPatchDto): Promise<DynamicSettings> {
    return this.settings.patch(channelId, named(patch));
  }
}
