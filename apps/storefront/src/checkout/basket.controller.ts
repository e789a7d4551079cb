import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import { BasketAddDto, BasketEnvelopeResponseDto, BasketService, BasketUpdateDto } from '@app/checkout';
import { RequestContext, type StorefrontRequestContext } from '@app/identity';

@ApiTags('Basket')
@ApiCookieAuth('cookieAuth')
@Controller('baskets/basket')
export class BasketController {
  constructor(private readonly baskets: BasketService) {}

  @Get()
  @ApiOperation({
    operationId: 'getBasket',
    summary: 'The caller’s basket (anonymous session or signed-in user), priced in the request’s currency',
  })
  @ApiOkResponse({ type: BasketEnvelopeResponseDto })
  get(@RequestContext() ctx: StorefrontRequestContext): Promise<BasketEnvelopeResponseDto> {
    return this.baskets.get(ctx);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'addToBasket', summary: 'Add units of a product (default 1)' })
  @ApiOkResponse({ type: BasketEnvelopeResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Unavailable product, no price, stock or limits' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: '`basket_changed`: the basket kept going away while the line was written (a sign-in merging it)',
  })
  add(@RequestContext() ctx: StorefrontRequestContext, @Body() dto: BasketAddDto): Promise<BasketEnvelopeResponseDto> {
    return this.baskets.add(ctx, dto);
  }

  @Put()
  @ApiOperation({ operationId: 'setBasketQuantity', summary: 'Set a product’s quantity (0 removes the line)' })
  @ApiOkResponse({ type: BasketEnvelopeResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Unavailable product, no price, stock or limits' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: '`basket_changed`: the basket kept going away while the line was written (a sign-in merging it)',
  })
  put(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: BasketUpdateDto,
  ): Promise<BasketEnvelopeResponseDto> {
    return this.baskets.update(ctx, dto);
  }

  @Patch()
  @ApiOperation({
    operationId: 'patchBasket',
    summary: 'As PUT; without `product` (the client’s `{}`) the basket is returned unchanged',
  })
  @ApiOkResponse({ type: BasketEnvelopeResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Unavailable product, no price, stock or limits' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: '`basket_changed`: the basket kept going away while the line was written (a sign-in merging it)',
  })
  patch(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: BasketUpdateDto,
  ): Promise<BasketEnvelopeResponseDto> {
    return this.baskets.update(ctx, dto);
  }

  @Delete()
  @ApiOperation({ operationId: 'clearBasket', summary: 'Empty the basket (sent when the shopper changes currency)' })
  @ApiOkResponse({ type: BasketEnvelopeResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  clear(@RequestContext() ctx: StorefrontRequestContext): Promise<BasketEnvelopeResponseDto> {
    return this.baskets.clear(ctx);
  }
}
