import { PermissionDeniedError } from '@app/common';
import type { StaffUserEntity } from '../entities/staff-user.entity';
import { ChannelForbiddenError } from '../errors';
import type { Channel } from './channel.service';

/*
 * Where the back office decides what a staff user may reach (StaffAuthGuard applies it to every call): a channel's
 * resources under `/api/v1/remote/{channel_id}/` need the channel among the staff user's channels, or a superuser;
 * global resources (staff, geography, channels) need a superuser.
 */

/** The staff user may use this channel: a superuser, or one of their channels (else 403). */
export function assertStaffChannelAccess(staff: StaffUserEntity, channel: Channel): void {
  if (!staff.isSuperuser && !staff.channelIds.includes(channel.id)) throw new ChannelForbiddenError();
}

/** Global resources belong to no channel: only a superuser may use them (else 403). */
export function assertSuperuser(staff: StaffUserEntity): void {
  if (!staff.isSuperuser) throw new PermissionDeniedError();
}
