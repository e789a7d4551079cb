import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsPhone, IsPk, message, PHONE_RULES } from '@app/common';
import { CityResponseDto, CountryResponseDto, DistrictResponseDto, TownshipResponseDto } from '@app/geography';

/** Saved addresses per user. */
export const ADDRESSES_MAX = 50;
export const ADDRESS_TYPES = ['personal', 'corporate'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];
/** What a customer may write in `notes`; the column is longer for the notes the migration wrote. */
export const ADDRESS_NOTES_LENGTH_MAX = 500;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** `"true"`/`"false"` as the client's form sends them, or JSON booleans; anything else stays and fails. */
export const booleanText = ({ value }: { value: unknown }): unknown => {
  if (value === 'true' || value === 'True' || value === '1') return true;
  if (value === 'false' || value === 'False' || value === '0') return false;
  if (value === '') return undefined;
  return value;
};

/** A trimmed string of at most `max` characters; a required one may not be blank. */
function Text(max: number, options: { required: boolean; example: string }): PropertyDecorator {
  const common = [
    Transform(trim),
    IsString({ message: message('validation.not_string') }),
    MaxLength(max, { message: message('validation.max_length', { max }) }),
  ];
  return options.required
    ? applyDecorators(
        ApiProperty({ maxLength: max, example: options.example }),
        ...common,
        MinLength(1, { message: message('validation.required') }),
      )
    : applyDecorators(
        ApiPropertyOptional({ maxLength: max, example: options.example, default: '' }),
        IsOptional(),
        ...common,
      );
}

function Place(required: boolean, description: string): PropertyDecorator {
  return applyDecorators(
    required
      ? ApiProperty({ type: String, example: '1', description: `${description}; a string or a number` })
      : ApiPropertyOptional({
          type: String,
          example: '1',
          nullable: true,
          description: `${description}; a string or a number`,
        }),
    ...(required ? [] : [IsOptional()]),
    IsPk({ text: 'choice', message: 'geography.choice_invalid' }),
  );
}

function Flag(description: string, example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      enum: ['true', 'false'],
      example,
      description: `${description}; or a boolean`,
    }),
    Transform(booleanText),
    IsOptional(),
    IsBoolean({ message: message('validation.not_boolean') }),
  );
}

/** The address form of the storefront client; `PUT` sends all of it. Unknown fields (`country_code`) are dropped. */
export class AddressCreateDto {
  @Text(64, { required: true, example: 'Home' }) title!: string;
  @Text(64, { required: true, example: 'Jane' }) first_name!: string;
  @Text(64, { required: true, example: 'Doe' }) last_name!: string;

  @Text(PHONE_RULES.address.lengthMax, { required: true, example: '05551234567' })
  @IsPhone('address')
  phone_number!: string;

  @Text(255, { required: true, example: 'Bağdat Cd. 12/3' }) line!: string;

  @Text(16, { required: false, example: '34728' })
  @Matches(/^[A-Za-z0-9 -]*$/, { message: message('validation.invalid') })
  postcode?: string;

  @Place(true, 'Country pk (GET /address/country/)') country!: number;
  @Place(true, 'City pk of the country (GET /address/city/?country=)') city!: number;
  @Place(false, 'Township pk of the city; required when the city has townships') township?: number | null;
  @Place(false, 'District pk of the township; required when the township has districts') district?: number | null;

  @Flag('"true" for a corporate address (the form sends strings)', 'false') is_corporate?: boolean;

  @ApiPropertyOptional({
    enum: ADDRESS_TYPES,
    type: String,
    description: 'Must agree with is_corporate when both are sent',
  })
  @IsOptional()
  @IsIn(ADDRESS_TYPES, { message: message('validation.not_in', { values: ADDRESS_TYPES.join(', ') }) })
  type?: string;

  @Text(128, { required: false, example: '' }) company_name?: string;
  @Text(32, { required: false, example: '' }) tax_no?: string;
  @Text(64, { required: false, example: '' }) tax_office?: string;
  @Flag('Corporate addresses: the company takes e-invoices', 'false') e_bill_taxpayer?: boolean;

  @Text(254, { required: false, example: 'jane@example.com' })
  @ValidateIf((_o, value) => value !== '')
  @IsEmail({}, { message: message('validation.not_email') })
  email?: string;

  @Text(32, { required: false, example: '' })
  @Matches(/^[0-9A-Za-z-]*$/, { message: message('validation.invalid') })
  identity_number?: string;

  @Text(ADDRESS_NOTES_LENGTH_MAX, { required: false, example: '' }) notes?: string;
  @Flag('Make this the default address (the one before it stops being one)', 'true') primary?: boolean;

  @ApiPropertyOptional({
    type: Number,
    example: 414185,
    description: 'The signed-in user’s pk, if sent: an address never changes owner',
  })
  @Allow()
  user?: unknown;
}

/** `PATCH`: only the fields sent change (`{"primary": true}` makes it the default address). */
export class AddressUpdateDto extends PartialType(AddressCreateDto) {}

export class AddressUserDto {
  @ApiProperty({ example: 414185 }) pk!: number;
}

/** An address as the storefront client reads it: lists, one address, and checkout's `pre_order` addresses. */
export class AddressResponseDto {
  @ApiProperty({ example: 4 }) pk!: number;
  @ApiProperty({ example: 'Home' }) title!: string;
  @ApiProperty({ example: 'Jane' }) first_name!: string;
  @ApiProperty({ example: 'Doe' }) last_name!: string;
  @ApiProperty({ example: '05551234567' }) phone_number!: string;
  @ApiProperty({ example: '' }) email!: string;
  @ApiProperty({ example: 'Bağdat Cd. 12/3' }) line!: string;
  @ApiProperty({ example: '34728' }) postcode!: string;
  @ApiProperty({ type: CountryResponseDto, nullable: true }) country!: CountryResponseDto | null;
  @ApiProperty({ type: CityResponseDto, nullable: true }) city!: CityResponseDto | null;
  @ApiProperty({ type: TownshipResponseDto, nullable: true }) township!: TownshipResponseDto | null;
  @ApiProperty({ type: DistrictResponseDto, nullable: true }) district!: DistrictResponseDto | null;
  @ApiProperty({ enum: ['true', 'false'], type: String, example: 'false' }) is_corporate!: string;
  @ApiProperty({ enum: ADDRESS_TYPES, type: String, example: 'personal' }) address_type!: string;
  @ApiProperty({ example: '' }) company_name!: string;
  @ApiProperty({ example: '' }) tax_no!: string;
  @ApiProperty({ example: '' }) tax_office!: string;
  @ApiProperty({ example: false }) e_bill_taxpayer!: boolean;
  @ApiProperty({ example: '' }) identity_number!: string;
  @ApiProperty({ example: true }) primary!: boolean;
  @ApiProperty({ type: AddressUserDto }) user!: AddressUserDto;
  @ApiProperty({ example: '' }) notes!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: {} }) extra_field!: Record<string, unknown>;
  @ApiProperty({ example: null, nullable: true, type: String }) remote_id!: string | null;
  @ApiProperty({ example: null, nullable: true, type: Number }) retail_store!: number | null;
  @ApiProperty({ example: '5e8f1c0a…', description: 'SHA-256 of the address’s content; changes when it changes' })
  hash_data!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
}
