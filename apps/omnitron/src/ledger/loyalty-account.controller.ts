import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiIdempotencyKey,
  ErrorResponseDto,
  IdempotencyKey,
  type Page,
  ApiPageResponse,
  PageUrl,
  ParseIdPipe,
} from '@app/common';
import { StaffChannel, type StaffChannelContext, StaffEndpoint } from '@app/identity';
import {
  LoyaltyAccountCreateDto,
  LoyaltyAccountListQueryDto,
  LoyaltyAccountResponseDto,
  LoyaltyAccountUpdateDto,
  LoyaltyTransferCreateDto,
} from '@app/ledger';
import { LedgerAdminApi } from './ledger-admin-api';

@ApiTags('Loyalty Accounts')
@ApiParam({ name: 'channel_id', type: Number, example: 1, description: 'Sales channel id' })
@ApiExtraModels(LoyaltyAccountResponseDto)
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/loyalty_account')
export class LoyaltyAccountController {
  constructor(private readonly api: LedgerAdminApi) {}

  @Post()
  @ApiOperation({
    operationId: 'createLoyaltyAccount',
    summary: 'Open a store-credit account; a balance is an opening transaction from the BANK account',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: LoyaltyAccountResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A field is invalid (`field_errors`)' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The Idempotency-Key was used for another request' })
  create(
    @StaffChannel() { staff, channel }: StaffChannelContext,
    @Body() dto: LoyaltyAccountCreateDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<LoyaltyAccountResponseDto> {
    return this.api.createAccount(channel.id, dto, { actorId: staff.id, idempotencyKey });
  }

  @Get()
  @ApiOperation({ operationId: 'listLoyaltyAccounts', summary: 'Find the channel’s store-credit accounts' })
  @ApiPageResponse(LoyaltyAccountResponseDto, 'A page of loyalty accounts')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: LoyaltyAccountListQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<LoyaltyAccountResponseDto>> {
    return this.api.listAccounts(channel.id, query, url);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getLoyaltyAccount', summary: 'One store-credit account' })
  @ApiOkResponse({ type: LoyaltyAccountResponseDto })
  get(
    @StaffChannel() { channel }: StaffChannelContext,
    @Param('pk', ParseIdPipe) pk: number,
  ): Promise<LoyaltyAccountResponseDto> {
    return this.api.getAccount(channel.id, pk);
  }

  @Patch(':pk')
  @ApiOperation({
    operationId: 'updateLoyaltyAccount',
    summary:
      'Change `debit_allowed` or set the balance (the difference is an adjustment with BANK, with `reason`); other fields are read-only',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LoyaltyAccountResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid, or a read-only field changed' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The Idempotency-Key was used for another request' })
  update(
    @StaffChannel() { staff, channel }: StaffChannelContext,
    @Param('pk', ParseIdPipe) pk: number,
    @Body() dto: LoyaltyAccountUpdateDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<LoyaltyAccountResponseDto> {
    return this.api.updateAccount(channel.id, pk, dto, { actorId: staff.id, idempotencyKey });
  }

  @Post(':pk/create_transfer')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'createLoyaltyTransfer',
    summary: 'Move store credit between two accounts of one currency; the account in the path takes part',
  })
  @ApiIdempotencyKey()
  @ApiNoContentResponse({ description: 'Moved' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Invalid amount, unknown account, currency mismatch, insufficient funds',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such account in the channel' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The Idempotency-Key was used for another request' })
  transfer(
    @StaffChannel() { staff, channel }: StaffChannelContext,
    @Param('pk', ParseIdPipe) pk: number,
    @Body() dto: LoyaltyTransferCreateDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    return this.api.createTransfer(channel.id, pk, dto, { actorId: staff.id, idempotencyKey });
  }
}
