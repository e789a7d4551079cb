import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, PageUrl, ErrorResponseDto, type Page, PageQueryDto, ParseIdPipe } from '@app/common';
import { StaffChannel, type StaffChannelContext, StaffEndpoint } from '@app/identity';
import {
  LocalAccountPointsDto,
  LocalAccountQueryDto,
  LocalAccountResponseDto,
  LoyaltyCardAdminService,
  SmsMessageResponseDto,
} from '@app/loyalty-card';

@ApiTags('Loyalty Card (development)')
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id')
export class LoyaltyCardAdminController {
  constructor(private readonly admin: LoyaltyCardAdminService) {}

  @Get('sms_messages')
  @ApiOperation({
    operationId: 'listSmsMessages',
    summary: 'Text messages kept by the `outbox` SMS provider, newest first',
  })
  @ApiPageResponse(SmsMessageResponseDto, 'A page of text messages')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  smsMessages(
    @Param('channel_id', ParseIdPipe) _channelId: number,
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: PageQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<SmsMessageResponseDto>> {
    return this.admin.smsMessages(channel.id, query, url);
  }

  @Get('loyalty_provider_accounts')
  @ApiOperation({ operationId: 'listLocalLoyaltyAccounts', summary: 'Accounts of the `local` loyalty provider' })
  @ApiPageResponse(LocalAccountResponseDto, 'A page of provider accounts')
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'The configured provider is not `local`' })
  localAccounts(
    @Param('channel_id', ParseIdPipe) _channelId: number,
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: LocalAccountQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<LocalAccountResponseDto>> {
    return this.admin.localAccounts(channel.id, query, url);
  }

  @Patch('loyalty_provider_accounts/:account_number')
  @ApiOperation({ operationId: 'setLocalLoyaltyPoints', summary: 'Set the points of a `local` provider account' })
  @ApiOkResponse({ type: LocalAccountResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such account, or the provider is not `local`' })
  setPoints(
    @Param('channel_id', ParseIdPipe) _channelId: number,
    @StaffChannel() { channel }: StaffChannelContext,
    @Param('account_number') accountNumber: string,
    @Body() dto: LocalAccountPointsDto,
  ): Promise<LocalAccountResponseDto> {
    return this.admin.setPoints(channel.id, accountNumber.slice(0, 64), dto);
  }
}
