import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiPageResponse, ErrorResponseDto, type Page, PageUrl } from '@app/common';
import {
  OrderAdminDetailResponseDto,
  OrderAdminListQueryDto,
  OrderAdminResponseDto,
  OrderAdminService,
  OrderSettleDto,
} from '@app/checkout';
import { StaffChannel, type StaffChannelContext, StaffEndpoint } from '@app/identity';

@ApiTags('Orders')
@ApiParam({ name: 'channel_id', type: Number, example: 1, description: 'Sales channel id' })
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/orders')
export class OrdersController {
  constructor(private readonly orders: OrderAdminService) {}

  @Get()
  @ApiOperation({
    operationId: 'listOrders',
    summary: 'The channel’s orders, newest first (by number, user, e-mail, status, created date)',
  })
  @ApiPageResponse(OrderAdminResponseDto, 'A page of orders')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: OrderAdminListQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<OrderAdminResponseDto>> {
    return this.orders.list(channel, query, url);
  }

  @Get(':pk')
  @ApiOperation({ operationId: 'getOrder', summary: 'One order of the channel, with its loyalty transactions' })
  @ApiParam({ name: 'pk', type: Number, example: 303 })
  @ApiOkResponse({ type: OrderAdminDetailResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such order in the channel' })
  get(@StaffChannel() { channel }: StaffChannelContext, @Param('pk') pk: string): Promise<OrderAdminDetailResponseDto> {
    return this.orders.get(channel, pk);
  }

  @Post(':pk/settle')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'settleOrder',
    summary: 'Settle an order in payment_review: complete it, or cancel it (charge voided, store credit refunded)',
  })
  @ApiParam({ name: 'pk', type: Number, example: 303 })
  @ApiOkResponse({ type: OrderAdminDetailResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'No reason or action; the payment was refused' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such order in the channel' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The order is not in payment_review' })
  settle(
    @StaffChannel() { staff, channel }: StaffChannelContext,
    @Param('pk') pk: string,
    @Body() dto: OrderSettleDto,
  ): Promise<OrderAdminDetailResponseDto> {
    return this.orders.settle(channel, pk, dto, staff.id);
  }
}
