import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto, type Page, CursorPageQueryDto, ApiPageResponse, PageUrl } from '@app/common';
import { RequestContext, SignedIn, type StorefrontRequestContext } from '@app/identity';
import { AccountLoyaltyTransferResponseDto, LoyaltyBalanceResponseDto } from '@app/ledger';
import { AccountLoyaltyApi } from './account-loyalty-api';

@ApiTags('Loyalty')
@ApiCookieAuth('cookieAuth')
@ApiExtraModels(AccountLoyaltyTransferResponseDto)
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Authentication credentials were not provided.' })
@SignedIn()
@Controller('account')
export class AccountLoyaltyController {
  constructor(private readonly loyalty: AccountLoyaltyApi) {}

  @Get('loyalty-account-balance')
  @ApiOperation({
    operationId: 'getLoyaltyAccountBalance',
    summary: 'Total store credit of the user’s accounts in the session currency (0 when none)',
  })
  @ApiOkResponse({ type: LoyaltyBalanceResponseDto })
  balance(@RequestContext() ctx: StorefrontRequestContext): Promise<LoyaltyBalanceResponseDto> {
    return this.loyalty.balance(ctx);
  }

  @Get('loyalty')
  @ApiOperation({
    operationId: 'getLoyaltyTransfers',
    summary: 'The user’s store-credit movements in the session currency, newest first',
  })
  @ApiPageResponse(AccountLoyaltyTransferResponseDto, 'A page of transfers')
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Bad `page` or `page_size`' })
  transfers(
    @RequestContext() ctx: StorefrontRequestContext,
    @Query() query: CursorPageQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<AccountLoyaltyTransferResponseDto>> {
    return this.loyalty.transfers(ctx, query, url);
  }
}
