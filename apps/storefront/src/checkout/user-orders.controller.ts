import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiPageResponse, ErrorResponseDto, type Page, PageQueryDto, PageUrl } from '@app/common';
import { OrderHistoryService, OrderResponseDto } from '@app/checkout';
import { RequestContext, SignedIn, type StorefrontRequestContext } from '@app/identity';

@ApiTags('Orders')
@ApiCookieAuth('cookieAuth')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in' })
@SignedIn()
@Controller('users/orders')
export class UserOrdersController {
  constructor(private readonly orders: OrderHistoryService) {}

  @Get()
  @ApiOperation({ operationId: 'listUserOrders', summary: 'The signed-in user’s orders, newest first' })
  @ApiPageResponse(OrderResponseDto, 'A page of orders')
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Bad `page` or `page_size`' })
  list(
    @RequestContext() ctx: StorefrontRequestContext,
    @Query() query: PageQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<OrderResponseDto>> {
    return this.orders.list(ctx, query, url);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getUserOrder', summary: 'One of the signed-in user’s orders' })
  @ApiParam({ name: 'id', type: Number, example: 303 })
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such order of this user' })
  get(@RequestContext() ctx: StorefrontRequestContext, @Param('id') id: string): Promise<OrderResponseDto> {
    return this.orders.get(ctx, id);
  }
}
