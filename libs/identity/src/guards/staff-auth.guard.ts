import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ChannelNotFoundError } from '../errors';
import { setStaffContext } from '../request-context';
import { ChannelService } from '../services/channel.service';
import { StaffService } from '../services/staff.service';

/**
 * Every back-office call: `Authorization: Token <key>` (401 without a valid one); under a `:channel_id` route
 * parameter the channel must exist (404) and be one the staff user may use (403).
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    @Inject(StaffService) private readonly staffService: StaffService,
    @Inject(ChannelService) private readonly channels: ChannelService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { channel_id?: string } }>>();
    const staff = await this.staffService.authenticate(request.headers.authorization);
    const rawChannel = request.params.channel_id;
    let channel;
    if (rawChannel !== undefined) {
      channel = /^\d{1,10}$/.test(rawChannel) ? await this.channels.find(Number(rawChannel)) : undefined;
      if (!channel) throw new ChannelNotFoundError();
      this.staffService.assertChannelAllowed(staff, channel);
    }
    setStaffContext(request, { staff, channel });
    return true;
  }
}
