import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  IsISO8601,
} from 'class-validator';
import { IsPhone, message } from '@app/common';
import { UserResponseDto } from '@app/identity';
import type { Gender } from '../provider/loyalty-provider';

export const GENDER_VALUES: readonly Gender[] = ['male', 'female', 'unknown'];
export const LOYALTY_NAME_LENGTH_MAX = 30;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const CARD_REDIRECT_URL = 'omnishop_loyaltycard:loyalty-card';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** Form posts send booleans as strings; JSON sends real ones. */
const bool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' || value === 'on' ? true : value === 'false' || value === '0' ? false : value;

/** The profile fields every loyalty-card form shares (spec limits: names 30, phone 60 matching the pattern). */
export class LoyaltyProfileDto {
  @ApiProperty({ example: 'John', minLength: 1, maxLength: LOYALTY_NAME_LENGTH_MAX })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: message('validation.required') })
  @MaxLength(LOYALTY_NAME_LENGTH_MAX, { message: message('validation.max_length', { max: LOYALTY_NAME_LENGTH_MAX }) })
  first_name!: string;

  @ApiProperty({ example: 'Doe', minLength: 1, maxLength: LOYALTY_NAME_LENGTH_MAX })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: message('validation.required') })
  @MaxLength(LOYALTY_NAME_LENGTH_MAX, { message: message('validation.max_length', { max: LOYALTY_NAME_LENGTH_MAX }) })
  last_name!: string;

  @ApiProperty({ example: '+966123457799' })
  @IsPhone('loyalty_card')
  phone!: string;

  @ApiProperty({ enum: GENDER_VALUES, example: 'male' })
  @IsIn(GENDER_VALUES, { message: message('validation.not_in', { values: GENDER_VALUES.join(', ') }) })
  gender!: string;

  @ApiPropertyOptional({ example: false, nullable: true, type: Boolean, default: false })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  email_allowed?: boolean | null;

  @ApiPropertyOptional({ example: false, nullable: true, type: Boolean, default: false })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  sms_allowed?: boolean | null;

  @ApiPropertyOptional({ example: null, nullable: true, type: Boolean, default: null })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  call_allowed?: boolean | null;
}

/** `POST add_loyalty_card/` and `add_loyalty_card_otp/`. */
export class LoyaltyCardCreateDto extends LoyaltyProfileDto {
  @ApiProperty({ example: 'john.doe@example.com', maxLength: 254 })
  @Transform(trim)
  @IsString()
  @MaxLength(254, { message: message('validation.max_length', { max: 254 }) })
  @IsEmail({}, { message: message('validation.not_email') })
  email!: string;

  @ApiProperty({ example: '1990-12-10', format: 'date' })
  @IsString()
  @Matches(DATE_PATTERN, { message: message('validation.not_date') })
  @IsISO8601({ strict: true }, { message: message('validation.not_date') })
  date_of_birth!: string;

  @ApiPropertyOptional({ example: '1234', minLength: 4, maxLength: 20, description: 'The SMS code (second post)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(4, { message: message('validation.min_length', { min: 4 }) })
  @MaxLength(20, { message: message('validation.max_length', { max: 20 }) })
  code?: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Send the code again' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  resend?: boolean;
}

/** `POST update_loyalty_card/`: no e-mail; the date of birth may be null. */
export class LoyaltyCardUpdateDto extends LoyaltyProfileDto {
  @ApiPropertyOptional({ example: '1990-12-10', format: 'date', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: message('validation.not_date') })
  @IsISO8601({ strict: true }, { message: message('validation.not_date') })
  date_of_birth?: string | null;
}

/** `POST search_exists_create/`. */
export class LoyaltyCardSearchDto {
  @ApiProperty({ example: 'john.doe@example.com' })
  @Transform(trim)
  @IsString()
  @MaxLength(254, { message: message('validation.max_length', { max: 254 }) })
  @IsEmail({}, { message: message('validation.not_email') })
  email!: string;

  @ApiPropertyOptional({ example: '+966123457799' })
  @IsOptional()
  @IsPhone('loyalty_card')
  phone?: string;

  @ApiPropertyOptional({ example: '1990-12-10', format: 'date' })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: message('validation.not_date') })
  @IsISO8601({ strict: true }, { message: message('validation.not_date') })
  date_of_birth?: string;
}

export class LoyaltyCardAttributesDto {
  @ApiProperty({ example: '3839200' })
  account_number!: string;
}

export class LoyaltyCardResponseDto {
  @ApiProperty({ example: 1 })
  pk!: number;

  @ApiProperty({ type: LoyaltyCardAttributesDto })
  attributes!: LoyaltyCardAttributesDto;

  @ApiProperty({ example: '2025-05-30T07:45:21.383Z', format: 'date-time' })
  created_date!: string;

  @ApiProperty({ example: '2025-05-30T07:45:21.383Z', format: 'date-time' })
  modified_date!: string;

  @ApiProperty({ example: '+966123457799' })
  number!: string;

  @ApiProperty({ type: UserResponseDto })
  user!: UserResponseDto;
}

export class LoyaltyCardDetailResponseDto {
  @ApiProperty({ type: LoyaltyCardResponseDto, nullable: true })
  card!: LoyaltyCardResponseDto | null;

  @ApiProperty({ example: 150, type: 'integer' })
  points!: number;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Null, or a translated message when the points could not be read from the loyalty system',
  })
  errors!: string | null;
}

export class LoyaltyCardCreatedResponseDto {
  @ApiProperty({ type: LoyaltyCardResponseDto })
  card!: LoyaltyCardResponseDto;

  @ApiProperty({ example: CARD_REDIRECT_URL })
  redirect_url!: string;
}

export class LoyaltyProfileResponseDto {
  @ApiProperty({ example: 'John' }) first_name!: string;
  @ApiProperty({ example: 'Doe' }) last_name!: string;
  @ApiProperty({ example: '+966123457799' }) phone!: string;
  @ApiPropertyOptional({ example: 'john.doe@example.com' }) email?: string;
  @ApiProperty({ enum: GENDER_VALUES, example: 'male' }) gender!: string;
  @ApiProperty({ example: '1990-12-10', nullable: true, type: String }) date_of_birth!: string | null;
  @ApiProperty({ example: false, nullable: true, type: Boolean }) email_allowed!: boolean | null;
  @ApiProperty({ example: true, nullable: true, type: Boolean }) sms_allowed!: boolean | null;
  @ApiProperty({ example: null, nullable: true, type: Boolean }) call_allowed!: boolean | null;
}

export class LoyaltyProfileCardResponseDto {
  @ApiProperty({ type: LoyaltyProfileResponseDto })
  card!: LoyaltyProfileResponseDto;
}

export class LoyaltyProfileUpdatedResponseDto extends LoyaltyProfileCardResponseDto {
  @ApiProperty({ example: CARD_REDIRECT_URL })
  redirect_url!: string;
}

export class ReducedUserDto {
  @ApiProperty({ example: 92 }) pk!: number;
  @ApiProperty({ example: 'John' }) first_name!: string;
  @ApiProperty({ example: 'Doe' }) last_name!: string;
  @ApiProperty({ example: '+966123457799', nullable: true, type: String }) phone!: string | null;
}

export class LoyaltyCardDeletePreviewDto {
  @ApiProperty({ example: 1 }) pk!: number;
  @ApiProperty({ type: LoyaltyCardAttributesDto }) attributes!: LoyaltyCardAttributesDto;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
  @ApiProperty({ example: '+966123457799' }) number!: string;
  @ApiProperty({ type: ReducedUserDto }) user!: ReducedUserDto;
}

export class LoyaltyCardDeletePreviewResponseDto {
  @ApiProperty({ type: LoyaltyCardDeletePreviewDto })
  card!: LoyaltyCardDeletePreviewDto;
}

export class MessageResponseDto {
  @ApiProperty({ example: 'success' })
  message!: string;
}

export class CardNumberResponseDto {
  @ApiProperty({ example: '+966123457799' })
  number!: string;
}
