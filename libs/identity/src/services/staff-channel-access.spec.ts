import { PermissionDeniedError } from '@app/common';
import { StaffUserEntity } from '../entities/staff-user.entity';
import { ChannelForbiddenError } from '../errors';
import type { Channel } from './channel.service';
import { assertStaffChannelAccess, assertSuperuser } from './staff-channel-access';

function staff(isSuperuser: boolean, channelIds: number[]): StaffUserEntity {
  return Object.assign(new StaffUserEntity(), { id: 1, username: 'a', isSuperuser, channelIds });
}
const channel = (id: number) => ({ id }) as Channel;

describe('staff channel access', () => {
  it('lets a staff user use one of their channels', () => {
    expect(() => {
      assertStaffChannelAccess(staff(false, [2, 3]), channel(3));
    }).not.toThrow();
  });

  it('refuses a staff user a channel that is not theirs', () => {
    expect(() => {
      assertStaffChannelAccess(staff(false, [2]), channel(3));
    }).toThrow(ChannelForbiddenError);
  });

  it('lets a superuser use any channel, one of none', () => {
    expect(() => {
      assertStaffChannelAccess(staff(true, []), channel(3));
    }).not.toThrow();
  });

  it('lets a superuser use global resources', () => {
    expect(() => {
      assertSuperuser(staff(true, []));
    }).not.toThrow();
  });

  it('refuses global resources to a staff user who is not a superuser, whatever their channels', () => {
    expect(() => {
      assertSuperuser(staff(false, [1]));
    }).toThrow(PermissionDeniedError);
  });
});
