import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import { StaffChannel, type StaffChannelContext, StaffEndpoint } from '@app/identity';
import { DynamicSettingsPatchDto, DynamicSettingsResponseDto } from '@app/settings';
import { LedgerAdminApi } from './ledger-admin-api';

@ApiTags('Dynamic Settings')
@ApiParam({ name: 'channel_id', type: Number, example: 1, description: 'Sales channel id' })
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/dynamic_settings')
export class DynamicSettingsController {
  constructor(private readonly api: LedgerAdminApi) {}

  @Get()
  @ApiOperation({ operationId: 'getDynamicSettings', summary: 'The channel’s run-time settings, defaults filled in' })
  @ApiOkResponse({ type: DynamicSettingsResponseDto })
  get(@StaffChannel() { channel }: StaffChannelContext): Promise<DynamicSettingsResponseDto> {
    return this.api.getSettings(channel.id);
  }

  @Patch()
  @ApiOperation({ operationId: 'updateDynamicSettings', summary: 'Change the settings named; the others stay' })
  @ApiOkResponse({ type: DynamicSettingsResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  update(
    @StaffChannel() { channel }: StaffChannelContext,
    @Body() dto: DynamicSettingsPatchDto,
  ): Promise<DynamicSettingsResponseDto> {
    return this.api.patchSettings(channel.id, dto);
  }
}
