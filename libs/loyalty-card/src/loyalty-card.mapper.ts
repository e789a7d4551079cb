import { toUserResponse, type UserEntity } from '@app/identity';
import type { LocalAccountResponseDto, SmsMessageResponseDto } from './dtos/loyalty-card-admin.dto';
import type {
  LoyaltyCardCreateDto,
  LoyaltyCardResponseDto,
  LoyaltyCardUpdateDto,
  LoyaltyProfileResponseDto,
} from './dtos/loyalty-card.dto';
import type { LocalLoyaltyAccountEntity } from './entities/local-loyalty-account.entity';
import type { LoyaltyCardEntity } from './entities/loyalty-card.entity';
import type { SmsMessageEntity } from './entities/sms-message.entity';
import type { ExternalProfile, Gender } from './provider/loyalty-provider';

/*
 * Where the loyalty-card lib's entities and provider profiles become response shapes (and a form becomes the
 * profile sent to the provider): the storefront's card and profile, the back office's SMS outbox and local accounts.
 */

/** The storefront's card as answered: the local card and its user. */
export function cardResponse(card: LoyaltyCardEntity, user: UserEntity): LoyaltyCardResponseDto {
  return {
    pk: card.id,
    attributes: { account_number: card.accountNumber, ...card.attributes },
    created_date: card.createdDate.toISOString(),
    modified_date: card.modifiedDate.toISOString(),
    number: card.number,
    user: toUserResponse(user),
  };
}

/** The member profile sent to the provider from an enrolment or update form, with the given e-mail. */
export function profileOf(dto: LoyaltyCardCreateDto | LoyaltyCardUpdateDto, email: string): ExternalProfile {
  return {
    first_name: dto.first_name,
    last_name: dto.last_name,
    email,
    phone: dto.phone,
    // Checked against GENDER_VALUES by the DTO; typed as a string there for a stable OpenAPI schema.
    gender: dto.gender as Gender,
    date_of_birth: dto.date_of_birth ?? null,
    email_allowed: dto.email_allowed ?? false,
    sms_allowed: dto.sms_allowed ?? false,
    call_allowed: dto.call_allowed ?? null,
  };
}

/** The member profile as answered (the e-mail only when asked for). */
export function profileResponse(profile: ExternalProfile, withEmail: boolean): LoyaltyProfileResponseDto {
  const fields: LoyaltyProfileResponseDto = {
    first_name: profile.first_name,
    last_name: profile.last_name,
    phone: profile.phone,
    gender: profile.gender,
    date_of_birth: profile.date_of_birth,
    email_allowed: profile.email_allowed,
    sms_allowed: profile.sms_allowed,
    call_allowed: profile.call_allowed,
  };
  if (withEmail) fields.email = profile.email;
  return fields;
}

/** A message of the SMS outbox, as the back office lists it. */
export function toSmsMessageResponse(message: SmsMessageEntity): SmsMessageResponseDto {
  return { pk: message.id, phone: message.phone, body: message.body, created_date: message.createdDate.toISOString() };
}

/** A `local` provider account, as the back office lists it. */
export function toLocalAccountResponse(row: LocalLoyaltyAccountEntity): LocalAccountResponseDto {
  return {
    account_number: row.accountNumber,
    email: row.email,
    phone: row.phone,
    first_name: row.firstName,
    last_name: row.lastName,
    points: row.points,
    active: row.active,
  };
}
