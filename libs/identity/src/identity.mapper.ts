import type { CurrentUserResponseDto, UserResponseDto } from './dtos/user.dto';
import type { UserEntity } from './entities/user.entity';
import { sha256Hex } from './services/tokens';

export function toUserResponse(user: UserEntity): UserResponseDto {
  return {
    pk: user.id,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    is_active: user.isActive,
    date_joined: user.dateJoined.toISOString(),
    last_login: user.lastLogin ? user.lastLogin.toISOString() : null,
    email_allowed: user.emailAllowed,
    sms_allowed: user.smsAllowed,
    call_allowed: user.callAllowed,
    gender: user.gender,
    attributes: user.attributes,
    phone: user.phone,
    date_of_birth: user.dateOfBirth,
    attributes_kwargs: user.attributesKwargs,
    user_type: user.userType,
    modified_date: user.modifiedDate.toISOString(),
  };
}

export function toCurrentUserResponse(user: UserEntity): CurrentUserResponseDto {
  return Object.assign(toUserResponse(user), { hashed_email: sha256Hex(user.email.toLowerCase()) });
}
