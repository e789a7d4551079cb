import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsPhone, message } from '@app/common';
import { GENDERS } from '../entities/user.entity';
import { PASSWORD_LENGTH_MAX } from '../services/password-hasher';

export const EMAIL_LENGTH_MAX = 254;
export const NAME_LENGTH_MAX = 150;
export const PASSWORD_LENGTH_MIN = 8;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** `POST /users/login/`. Extra fields the storefront sends (`formType`, `locale`, `captchaValidated`) are dropped. */
export class LoginDto {
  @ApiProperty({ example: 'jane@example.com', maxLength: EMAIL_LENGTH_MAX })
  @Transform(trim)
  @IsString()
  @MaxLength(EMAIL_LENGTH_MAX, { message: message('validation.max_length', { max: EMAIL_LENGTH_MAX }) })
  @IsEmail({}, { message: message('validation.not_email') })
  email!: string;

  @ApiProperty({ example: 'correct horse battery', maxLength: PASSWORD_LENGTH_MAX, format: 'password' })
  @IsString()
  @MaxLength(PASSWORD_LENGTH_MAX, { message: message('validation.max_length', { max: PASSWORD_LENGTH_MAX }) })
  password!: string;
}

/** Profile fields a customer may change. */
export class ProfileUpdateDto {
  @ApiPropertyOptional({ example: 'Jane', maxLength: NAME_LENGTH_MAX })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(NAME_LENGTH_MAX, { message: message('validation.max_length', { max: NAME_LENGTH_MAX }) })
  first_name?: string;

  @ApiPropertyOptional({ example: 'Doe', maxLength: NAME_LENGTH_MAX })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(NAME_LENGTH_MAX, { message: message('validation.max_length', { max: NAME_LENGTH_MAX }) })
  last_name?: string;

  @ApiPropertyOptional({ example: '+905551112233', nullable: true })
  @IsOptional()
  @IsPhone('user')
  phone?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  email_allowed?: boolean;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  sms_allowed?: boolean;

  @ApiPropertyOptional({ example: false, nullable: true })
  @IsOptional()
  @IsBoolean()
  call_allowed?: boolean;

  @ApiPropertyOptional({ enum: GENDERS, type: String, example: 'female' })
  @IsOptional()
  @IsIn(GENDERS, { message: message('validation.not_in', { values: GENDERS.join(', ') }) })
  // Typed `string`, checked by @IsIn: with the `Gender` union the swagger plugin infers the schema differently
  // under `nest build` and ts-jest, and the committed OpenAPI document could never match the test's.
  gender?: string;

  @ApiPropertyOptional({ example: '1990-12-10', format: 'date' })
  @IsOptional()
  @IsString()
  @Matches(DATE_PATTERN, { message: message('validation.not_date') })
  // A real calendar day (not 1990-02-30), so the database never sees an impossible date.
  @IsISO8601({ strict: true }, { message: message('validation.not_date') })
  date_of_birth?: string;
}

/** `POST /users/registration/`: the login fields plus the profile. */
export class RegistrationDto extends ProfileUpdateDto {
  @ApiProperty({ example: 'jane@example.com', maxLength: EMAIL_LENGTH_MAX })
  @Transform(trim)
  @IsString()
  @MaxLength(EMAIL_LENGTH_MAX, { message: message('validation.max_length', { max: EMAIL_LENGTH_MAX }) })
  @IsEmail({}, { message: message('validation.not_email') })
  email!: string;

  @ApiProperty({
    example: 'correct horse battery',
    minLength: PASSWORD_LENGTH_MIN,
    maxLength: PASSWORD_LENGTH_MAX,
    format: 'password',
  })
  @IsString()
  @MinLength(PASSWORD_LENGTH_MIN, { message: message('validation.min_length', { min: PASSWORD_LENGTH_MIN }) })
  @MaxLength(PASSWORD_LENGTH_MAX, { message: message('validation.max_length', { max: PASSWORD_LENGTH_MAX }) })
  password!: string;
}

export class UserResponseDto {
  @ApiProperty({ example: 92 })
  pk!: number;

  @ApiProperty({ example: 'fe710061d9d32af17b96f38bf49ee29655ae8b19682e10b1a8d02d6f79c35520' })
  username!: string;

  @ApiProperty({ example: 'John' })
  first_name!: string;

  @ApiProperty({ example: 'Doe' })
  last_name!: string;

  @ApiProperty({ example: 'john.doe@example.com' })
  email!: string;

  @ApiProperty({ example: true })
  is_active!: boolean;

  @ApiProperty({ example: '2025-05-30T07:45:20.915Z', format: 'date-time' })
  date_joined!: string;

  @ApiProperty({ example: '2025-05-30T07:45:21.240Z', format: 'date-time', nullable: true, type: String })
  last_login!: string | null;

  @ApiProperty({ example: false })
  email_allowed!: boolean;

  @ApiProperty({ example: false })
  sms_allowed!: boolean;

  @ApiProperty({ example: null, nullable: true, type: Boolean })
  call_allowed!: boolean | null;

  @ApiProperty({ enum: GENDERS, type: String, example: 'male' })
  gender!: string; // see ProfileUpdateDto.gender

  @ApiProperty({ type: 'object', additionalProperties: true, example: { register_client_type: 'default' } })
  attributes!: Record<string, unknown>;

  @ApiProperty({ example: '+966123457799', nullable: true, type: String })
  phone!: string | null;

  @ApiProperty({ example: '1990-12-10', format: 'date', nullable: true, type: String })
  date_of_birth!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  attributes_kwargs!: Record<string, unknown>;

  @ApiProperty({ example: 'registered' })
  user_type!: string;

  @ApiProperty({ example: '2025-05-30T07:45:21.812Z', format: 'date-time' })
  modified_date!: string;
}

export class CurrentUserResponseDto extends UserResponseDto {
  @ApiProperty({
    description: 'SHA-256 (hex) of the lower-cased e-mail, for analytics that must not see the address',
    example: '5f0f4cce4b1f0e6e0a4d6b6a1a0f8e3c8c2d6f0a9b7e1f2a3b4c5d6e7f8a9b0c',
  })
  hashed_email!: string;
}

export class LoginResponseDto {
  @ApiProperty({
    description: 'Truthy on success; also the session id (sent as the `osessionid` cookie)',
    example: '3f9c2a0d5e...',
  })
  key!: string;
}

/** The login and registration error shape the storefront client reads: messages keyed by field at the top level. */
export class FieldErrorsResponseDto {
  @ApiPropertyOptional({ type: [String], example: ['Unable to log in with provided credentials.'] })
  non_field_errors?: string[];

  @ApiPropertyOptional({ type: [String], example: ['Enter a valid email address.'] })
  email?: string[];

  @ApiPropertyOptional({ type: [String], example: ['This field is required.'] })
  password?: string[];
}

export class CsrfTokenResponseDto {
  @ApiProperty({ example: 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184' })
  csrf_token!: string;
}

export class LogoutResponseDto {
  @ApiProperty({ example: true })
  logged_out!: boolean;
}

/** The second step of the logout form flow posts the token it was given in the first. */
export class LogoutFormDto {
  @ApiPropertyOptional({ description: 'The token of the first step’s form; equal to the `csrftoken` cookie' })
  @IsOptional()
  @IsString()
  @MaxLength(128, { message: message('validation.max_length', { max: 128 }) })
  csrfmiddlewaretoken?: string;
}
