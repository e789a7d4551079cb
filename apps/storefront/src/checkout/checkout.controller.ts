import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConsumes,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import {
  CHECKOUT_PAGES,
  CheckoutFormDto,
  CheckoutEnvelope,
  CheckoutFlow,
  CheckoutResponseDto,
  CompletedOrderResponseDto,
  PlacedOrders,
} from '@app/checkout';
import { RequestContext, type StorefrontRequestContext } from '@app/identity';

const PAGE_QUERY = {
  name: 'page',
  required: false,
  enum: CHECKOUT_PAGES,
  description: 'The checkout page; without it, the first step still missing',
};

@ApiTags('Checkout')
@ApiCookieAuth('cookieAuth')
@Controller('orders')
export class CheckoutController {
  constructor(
    private readonly envelope: CheckoutEnvelope,
    private readonly flow: CheckoutFlow,
    private readonly orders: PlacedOrders,
  ) {}

  @Get('checkout')
  @ApiOperation({
    operationId: 'getCheckoutPage',
    summary: 'The checkout state and a page’s context (validation problems are HTTP 200 with `errors`)',
  })
  @ApiQuery(PAGE_QUERY)
  @ApiOkResponse({ type: CheckoutResponseDto })
  get(@RequestContext() ctx: StorefrontRequestContext, @Query('page') page?: unknown): Promise<CheckoutResponseDto> {
    return this.envelope.answer(ctx, (checkout) => this.flow.show(checkout, page));
  }

  @Post('checkout')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({
    operationId: 'postCheckoutPage',
    summary:
      'Submit a checkout page (form-encoded). Loyalty-only orders: LoyaltyPaymentSelectedPage (or LoyaltyMoneyPage) ' +
      'places the order and answers ThankYouPage. Card (what loyalty money leaves unpaid, plus installment ' +
      'interest): BinNumberPage (`bin_number`) answers `card_type` and `installments`; InstallmentSelectionPage ' +
      '(`installment`); CreditCardConfirmationPage (`agreement`, `card_holder`, `card_number`, `card_month`, ' +
      '`card_year`, `card_cvv`, optional `use_three_d`) charges the card, pays the loyalty part and answers ' +
      'ThankYouPage. A declined card spends no store credit. Card pages answer `errors` when loyalty money covers ' +
      'the whole order. Card numbers are never stored (last 4 digits only).',
  })
  @ApiQuery(PAGE_QUERY)
  @ApiOkResponse({ type: CheckoutResponseDto, description: 'Also for validation errors (`errors` set)' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  post(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() form: CheckoutFormDto,
    @Query('page') page?: unknown,
  ): Promise<CheckoutResponseDto> {
    return this.envelope.answer(ctx, (checkout) => this.flow.submit(checkout, page, form ?? {}));
  }

  @Get('completed/:token')
  @ApiOperation({
    operationId: 'getCompletedOrder',
    summary: 'A placed order, by the thank-you page’s signed token; only for the signed-in customer who placed it',
  })
  @ApiParam({ name: 'token', description: 'The `token` of the ThankYouPage context' })
  @ApiQuery({ name: 'format', required: false, enum: ['json'] })
  @ApiOkResponse({ type: CompletedOrderResponseDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown or forged token, or an order the caller did not place (another user, no sign-in)',
  })
  completed(
    @RequestContext() ctx: StorefrontRequestContext,
    @Param('token') token: string,
  ): Promise<CompletedOrderResponseDto> {
    return this.orders.completed(ctx, token);
  }
}
