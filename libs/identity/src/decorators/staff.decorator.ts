import { applyDecorators, createParamDecorator, type ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/common';
import { StaffAuthGuard } from '../guards/staff-auth.guard';
import { SuperuserOnly } from './superuser-only.decorator';
import type { Channel } from '../services/channel.service';
import { staffContextOf } from '../request-context';
import type { StaffUserEntity } from '../entities/staff-user.entity';

export interface StaffEndpointOptions {
  /** Global resources: see `SuperuserOnly`. */
  superuserOnly?: boolean;
}

/** Protects a back-office controller or handler with a staff token (and the channel check under `:channel_id`). */
export const StaffEndpoint = (options: StaffEndpointOptions = {}): ClassDecorator & MethodDecorator =>
  applyDecorators(
    UseGuards(StaffAuthGuard),
    ApiSecurity('tokenAuth'),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid `Authorization: Token <key>`' }),
    options.superuserOnly
      ? SuperuserOnly()
      : ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The staff user may not use this channel' }),
    ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown channel' }),
  );

export interface StaffChannelContext {
  staff: StaffUserEntity;
  channel: Channel;
}

/** `{staff, channel}` of a call under `/api/v1/remote/{channel_id}/` (after `@StaffEndpoint()`). */
export const StaffChannel = createParamDecorator((_data: unknown, context: ExecutionContext): StaffChannelContext => {
  const found = staffContextOf(context.switchToHttp().getRequest<object>());
  if (!found?.channel) throw new Error('No staff channel context: use @StaffEndpoint() on a :channel_id route');
  return { staff: found.staff, channel: found.channel };
});
