import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Caller, type CallerContext, ErrorResponseDto } from '@app/common';
import {
  AuthThrottlerGuard,
  StaffLoginDto,
  StaffLogoutResponseDto,
  StaffService,
  StaffTokenResponseDto,
} from '@app/identity';

@ApiTags('Auth')
@Controller('api/v1/auth')
export class StaffAuthController {
  constructor(private readonly staff: StaffService) {}

  @Post('login')
  @UseGuards(AuthThrottlerGuard)
  @HttpCode(200)
  @ApiOperation({ operationId: 'staffLogin', summary: 'A new API token for a staff user' })
  @ApiOkResponse({ type: StaffTokenResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Wrong username or password, or invalid fields' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many attempts; see Retry-After' })
  login(@Body() dto: StaffLoginDto, @Caller() caller: CallerContext): Promise<StaffTokenResponseDto> {
    return this.staff.login(dto, caller.clientIp);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiSecurity('tokenAuth')
  @ApiOperation({ operationId: 'staffLogout', summary: 'Revoke the token this call is made with' })
  @ApiOkResponse({ type: StaffLogoutResponseDto })
  async logout(@Caller() caller: CallerContext): Promise<StaffLogoutResponseDto> {
    return { revoked: await this.staff.revoke(caller.authorization) };
  }
}
