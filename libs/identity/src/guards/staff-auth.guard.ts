import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { idFromText } from '@app/common';
import { SUPERUSER_ONLY } from '../decorators/superuser-only.decorator';
import { ChannelNotFoundError } from '../errors';
import { setStaffContext } from '../request-context';
import { ChannelService } from '../services/channel.service';
import { assertStaffChannelAccess, assertSuperuser } from '../services/staff-channel-access';
import { StaffService } from '../services/staff.service';

/**
 * Every back-office call: `Authorization: Token <key>` (401 without a valid one); a superuser-only route
 * (`@SuperuserOnly()`) refuses any other staff user (403) before looking at the channel; under a `:channel_id` route
 * parameter the channel must exist (404) and be one the staff user may use (403: `staff-channel-access.ts`).
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    @Inject(StaffService) private readonly staffService: StaffService,
    @Inject(ChannelService) private readonly channels: ChannelService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { channel_id?: string } }>>();
    const staff = await this.staffService.authenticate(request.headers.authorization);
    if (this.reflector.getAllAndOverride<boolean>(SUPERUSER_ONLY, [context.getHandler(), context.getClass()])) {
      assertSuperuser(staff);
    }
    const rawChannel = request.params.channel_id;
    let channel;
    if (rawChannel !== undefined) {
      const channelId = idFromText(rawChannel);
      channel = channelId === null ? undefined : await this.channels.find(channelId);
      if (!channel) throw new ChannelNotFoundError();
      assertStaffChannelAccess(staff, channel);
    }
    setStaffContext(request, { staff, channel });
    return true;
  }
}
