import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiIdempotencyKey, ErrorResponseDto, IdempotencyKey, type Page, ApiPageResponse, PageUrl } from '@app/common';
import { StaffChannel, type StaffChannelContext, StaffEndpoint } from '@app/identity';
import {
  LoyaltyCrossRefundCreateDto,
  LoyaltyRefundCreateDto,
  LoyaltyRefundResponseDto,
  LoyaltyTransactionListQueryDto,
  LoyaltyTransactionResponseDto,
  LoyaltyTransferAdminResponseDto,
  LoyaltyTransferListQueryDto,
} from '@app/ledger';
import { LedgerAdminApi } from './ledger-admin-api';

@ApiTags('Loyalty Transactions')
@ApiParam({ name: 'channel_id', type: Number, example: 1, description: 'Sales channel id' })
@ApiExtraModels(LoyaltyTransferAdminResponseDto, LoyaltyTransactionResponseDto)
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id')
export class LoyaltyTransactionController {
  constructor(private readonly api: LedgerAdminApi) {}

  @Get('loyalty_transfer')
  @ApiOperation({
    operationId: 'listLoyaltyTransfers',
    summary: 'Postings of the channel, newest first (by account, user, order, currency, created date)',
  })
  @ApiPageResponse(LoyaltyTransferAdminResponseDto, 'A page of loyalty transfers')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  transfers(
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: LoyaltyTransferListQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<LoyaltyTransferAdminResponseDto>> {
    return this.api.listTransfers(channel.id, query, url);
  }

  @Get('loyalty-transactions')
  @ApiOperation({ operationId: 'listLoyaltyTransactions', summary: 'Transactions with their postings, newest first' })
  @ApiPageResponse(LoyaltyTransactionResponseDto, 'A page of loyalty transactions')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  transactions(
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: LoyaltyTransactionListQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<LoyaltyTransactionResponseDto>> {
    return this.api.listTransactions(channel.id, query, url);
  }

  @Get('loyalty-transactions/:uuid')
  @ApiOperation({ operationId: 'getLoyaltyTransaction', summary: 'One transaction with its postings' })
  @ApiParam({ name: 'uuid', format: 'uuid', example: '51536d0f-10de-4ba3-98b6-6df05ede5b16' })
  @ApiOkResponse({ type: LoyaltyTransactionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such transaction in the channel' })
  transaction(
    @StaffChannel() { channel }: StaffChannelContext,
    @Param('uuid') uuid: string,
  ): Promise<LoyaltyTransactionResponseDto> {
    return this.api.getTransaction(channel.id, uuid);
  }

  @Post('loyalty-transactions/refund')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refundLoyaltyTransaction',
    summary:
      'Give back part of an order payment from the SALE account to the order owner (or to the invoice account `invoice_number`)',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LoyaltyRefundResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Invalid amount, not an order payment, above what can still be refunded',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The Idempotency-Key was used for another request' })
  refund(
    @StaffChannel() { staff, channel }: StaffChannelContext,
    @Body() dto: LoyaltyRefundCreateDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<LoyaltyRefundResponseDto> {
    return this.api.refund(channel.id, dto, { actorId: staff.id, idempotencyKey });
  }

  @Post('loyalty-transactions/cross-refund')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'crossRefundLoyalty',
    summary: 'Refund an order (paid by any method) as store credit from the REFUND account to the order owner',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LoyaltyRefundResponseDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Invalid amount, unknown order, above what can still be refunded',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The Idempotency-Key was used for another request' })
  crossRefund(
    @StaffChannel() { staff, channel }: StaffChannelContext,
    @Body() dto: LoyaltyCrossRefundCreateDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<LoyaltyRefundResponseDto> {
    return this.api.crossRefund(channel.id, dto, { actorId: staff.id, idempotencyKey });
  }
}
