import { Injectable } from '@nestjs/common';
import { type Page, type PageQueryDto, toPage, ValidationFailedError } from '@app/common';
import { type DynamicSettings, type DynamicSettingsPatchDto, DynamicSettingsService } from '@app/settings';
import {
  type LoyaltyAccountCreateDto,
  type LoyaltyAccountResponseDto,
  type LoyaltyAccountUpdateDto,
  toAccountResponse,
} from '../dtos/loyalty-account.dto';
import {
  type LoyaltyCrossRefundCreateDto,
  type LoyaltyRefundCreateDto,
  type LoyaltyRefundResponseDto,
  type LoyaltyTransferCreateDto,
  toRefundResponse,
} from '../dtos/loyalty-transfer.dto';
import {
  type LoyaltyAccountListQueryDto,
  type LoyaltyTransactionListQueryDto,
  type LoyaltyTransactionResponseDto,
  type LoyaltyTransferAdminResponseDto,
  type LoyaltyTransferListQueryDto,
  toTransactionResponse,
  toTransferAdminResponse,
} from '../dtos/ledger-api.dto';
import type { LedgerContext } from './ledger-engine';
import { AccountNotFoundError } from '../errors';
import { LedgerQueryService } from './ledger-query.service';
import { LedgerService } from './ledger.service';
import { LoyaltyAccountService } from './loyalty-account.service';
import type { AccountView, PageRequest } from './views';

const pageRequest = (query: PageQueryDto): PageRequest => ({ offset: query.offset, limit: query.page_size });

/** An id as a client may echo it: 34 or "34". */
function sameId(value: unknown, id: number | null): boolean {
  return (typeof value === 'number' || typeof value === 'string') && id !== null && String(value) === String(id);
}

/** Keys the client named: class-transformer leaves declared but unsent fields as own `undefined` properties. */
function named<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The back-office API of the ledger (`/api/v1/remote/{channel_id}/...`): maps request DTOs to the ledger's services
 * and their views to the contract's response DTOs, so each controller method is one call.
 */
@Injectable()
export class LedgerAdminApiService {
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
    return toAccountResponse(await this.accounts.create(channelId, dto, ctx));
  }

  async listAccounts(channelId: number, query: LoyaltyAccountListQueryDto, url: URL) {
    const { user, user_email, currency, number } = query;
    const page = await this.accounts.list(
      channelId,
      { user, user_email, currency, number },
      query.ordering ?? 'pk',
      pageRequest(query),
    );
    return toPage(page.results.map(toAccountResponse), page.count, query, url);
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
    const current = await this.accounts.get(channelId, accountId);
    this.refuseReadOnlyChanges(current, dto);
    const view = await this.accounts.update(
      channelId,
      accountId,
      { balance: dto.balance, debit_allowed: dto.debit_allowed, reason: dto.reason },
      ctx,
    );
    return toAccountResponse(view);
  }

  /** The account in the path must take part: a staff screen transfers from or to the account it shows. */
  async createTransfer(
    channelId: number,
    pathAccountId: number,
    dto: LoyaltyTransferCreateDto,
    ctx: LedgerContext,
  ): Promise<void> {
    const pathField =
      dto.source_account === pathAccountId
        ? 'source_account'
        : dto.destination_account === pathAccountId
          ? 'destination_account'
          : undefined;
    if (!pathField) {
      await this.accounts.assertExists(channelId, pathAccountId);
      throw ValidationFailedError.forField('non_field_errors', 'ledger.path_account_not_in_transfer');
    }
    // The transfer reads both accounts anyway: an unknown path account is its "not found" on that field, answered
    // as the 404 of the path. The endpoint answers 204, so no transaction view is read back.
    try {
      await this.ledger.transferOnly(channelId, dto, ctx);
    } catch (error) {
      const notFound =
        error instanceof ValidationFailedError &&
        error.fieldErrors?.[pathField]?.[0]?.key === 'ledger.account_not_found';
      if (notFound) throw new AccountNotFoundError();
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
        currency: query.currency,
        created_from: query.created_date__gte === undefined ? undefined : new Date(query.created_date__gte),
        created_to: query.created_date__lt === undefined ? undefined : new Date(query.created_date__lt),
      },
      pageRequest(query),
    );
    return toPage(page.results.map(toTransferAdminResponse), page.count, query, url);
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
    return toPage(page.results.map(toTransactionResponse), page.count, query, url);
  }

  async getTransaction(channelId: number, uuid: string): Promise<LoyaltyTransactionResponseDto> {
    return toTransactionResponse(await this.queries.getTransaction(channelId, uuid));
  }

  async refund(channelId: number, dto: LoyaltyRefundCreateDto, ctx: LedgerContext): Promise<LoyaltyRefundResponseDto> {
    return toRefundResponse(await this.ledger.refund(channelId, dto, ctx));
  }

  async crossRefund(
    channelId: number,
    dto: LoyaltyCrossRefundCreateDto,
    ctx: LedgerContext,
  ): Promise<LoyaltyRefundResponseDto> {
    return toRefundResponse(await this.ledger.crossRefund(channelId, dto, ctx));
  }

  getSettings(channelId: number): Promise<DynamicSettings> {
    return this.settings.get(channelId);
  }

  patchSettings(channelId: number, patch: DynamicSettingsPatchDto): Promise<DynamicSettings> {
    return this.settings.patch(channelId, named(patch));
  }

  private refuseReadOnlyChanges(current: AccountView, dto: LoyaltyAccountUpdateDto): void {
    const response = toAccountResponse(current);
    const sent = named(dto);
    const same: Record<string, (value: unknown) => boolean> = {
      pk: (v) => sameId(v, response.pk),
      number: (v) => v === response.number,
      user: (v) => (v === null ? response.user === null : sameId(v, response.user)),
      user_email: (v) =>
        v === null
          ? response.user_email === null
          : typeof v === 'string' && v.toLowerCase() === response.user_email?.toLowerCase(),
      currency: (v) => typeof v === 'string' && v.toLowerCase() === response.currency,
      created_date: (v) => typeof v === 'string' && Date.parse(v) === current.created_date.getTime(),
      modified_date: (v) => typeof v === 'string' && Date.parse(v) === current.modified_date.getTime(),
    };
    for (const [field, isSame] of Object.entries(same)) {
      if (field in sent && !isSame(sent[field as keyof LoyaltyAccountUpdateDto])) {
        throw ValidationFailedError.forField(field, 'ledger.read_only');
      }
    }
  }
}
