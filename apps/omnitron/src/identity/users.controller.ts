import { Controller, Get, Param, ParseIntPipe, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponseDto, type Page } from '@app/common';
import {
  StaffChannel,
  type StaffChannelContext,
  StaffEndpoint,
  UserListQueryDto,
  UserResponseDto,
  UserService,
} from '@app/identity';

@ApiTags('Users')
@ApiExtraModels(UserResponseDto)
@StaffEndpoint()
@Controller('api/v1/remote/:channel_id/users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get()
  @ApiOperation({ operationId: 'listUsers', summary: 'Find the channel’s users by e-mail (exact or part) or pk' })
  @ApiOkResponse({
    description: 'A page of users',
    schema: {
      type: 'object',
      properties: {
        count: { type: 'integer', example: 1 },
        next: { type: 'string', nullable: true, example: null },
        previous: { type: 'string', nullable: true, example: null },
        results: { type: 'array', items: { $ref: getSchemaPath(UserResponseDto) } },
      },
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(
    @Param('channel_id', ParseIntPipe) _channelId: number,
    @StaffChannel() { channel }: StaffChannelContext,
    @Query() query: UserListQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<Page<UserResponseDto>> {
    return this.users.list(channel, query, new URL(request.url, `${request.protocol}://${request.host}`));
  }
}
