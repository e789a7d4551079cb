import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiParam, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, PageUrl, ErrorResponseDto, type Page } from '@app/common';
import {
  StaffChannel,
  type StaffChannelContext,
  StaffEndpoint,
  UserListQueryDto,
  UserResponseDto,
  UserService,
} from '@app/identity';

@ApiTags('Users')
@ApiParam({ name: 'channel_id', type: Number, example: 1, description: 'Sales channel id' })
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get()
  @ApiOperation({ operationId: 'listUsers', summary: 'Find the channel’s users by e-mail (exact or part) or pk' })
  @ApiPageResponse(UserResponseDto, 'A page of users')
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: UserListQueryDto,
    @PageUrl() url: URL,
  ): Promise<Page<UserResponseDto>> {
    return this.users.list(channel, query, url);
  }
}
