import { Body, Controller, Get, Patch, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import {
  CurrentUserResponseDto,
  FieldErrorsResponseDto,
  ProfileUpdateDto,
  RequestContext,
  SignedIn,
  type StorefrontRequestContext,
  UserResponseDto,
  UserService,
} from '@app/identity';
import { FieldErrorsFilter } from './field-errors.filter';

@ApiTags('Users')
@ApiCookieAuth('cookieAuth')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Not signed in' })
@SignedIn()
@Controller()
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get('current_user')
  @ApiOperation({ operationId: 'getCurrentUser', summary: 'The signed-in user, with the SHA-256 of the e-mail' })
  @ApiOkResponse({ type: CurrentUserResponseDto })
  current(@RequestContext() ctx: StorefrontRequestContext): CurrentUserResponseDto {
    return this.users.current(ctx);
  }

  @Get('users/profile')
  @ApiOperation({ operationId: 'getProfile', summary: 'The signed-in user’s profile' })
  @ApiOkResponse({ type: UserResponseDto })
  profile(@RequestContext() ctx: StorefrontRequestContext): UserResponseDto {
    return this.users.profile(ctx);
  }

  @Patch('users/profile')
  @UseFilters(FieldErrorsFilter)
  @ApiOperation({ operationId: 'updateProfile', summary: 'Change profile fields (needs the CSRF header)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ type: FieldErrorsResponseDto, description: 'Messages keyed by field' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'CSRF check failed' })
  updateProfile(
    @RequestContext() ctx: StorefrontRequestContext,
    @Body() dto: ProfileUpdateDto,
  ): Promise<UserResponseDto> {
    return this.users.updateProfile(ctx, dto);
  }
}
