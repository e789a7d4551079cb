import type { Language } from '@app/common';
import type { UserEntity } from './entities/user.entity';
import type { Channel } from './services/channel.service';
import type { Session } from './session/session';
import type { StaffUserEntity } from './entities/staff-user.entity';

/** Who is calling the storefront, in which channel, currency and language; built once per request. */
export interface StorefrontRequestContext {
  readonly channel: Channel;
  readonly session: Session;
  /** Set when the session is signed in to an active user. */
  user: UserEntity | undefined;
  readonly currency: string;
  readonly language: Language;
  /** The caller's address (`request.ip`: from X-Forwarded-For only with TRUST_PROXY). */
  readonly clientIp: string;
  /** The request's cookies (already read from X-Cookie where enabled). */
  readonly cookies: Readonly<Record<string, string>>;
}

/** The staff user of an admin call and, under `/api/v1/remote/{channel_id}/`, the channel. */
export interface StaffRequestContext {
  readonly staff: StaffUserEntity;
  readonly channel: Channel | undefined;
}

const storefrontContexts = new WeakMap<object, StorefrontRequestContext>();
const staffContexts = new WeakMap<object, StaffRequestContext>();

export function setStorefrontContext(request: object, context: StorefrontRequestContext): void {
  storefrontContexts.set(request, context);
}

export function storefrontContextOf(request: object): StorefrontRequestContext | undefined {
  return storefrontContexts.get(request);
}

export function setStaffContext(request: object, context: StaffRequestContext): void {
  staffContexts.set(request, context);
}

export function staffContextOf(request: object): StaffRequestContext | undefined {
  return staffContexts.get(request);
}
