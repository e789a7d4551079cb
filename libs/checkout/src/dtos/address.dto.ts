import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { message } from '@app/common';

/** Saved addresses per user. */
export const ADDRESSES_MAX = 50;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

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

/** The whole address: `PUT` sends all of it. */
export class AddressCreateDto {
  @Text(64, { required: true, example: 'Home' }) title!: string;
  @Text(64, { required: true, example: 'Jane' }) first_name!: string;
  @Text(64, { required: true, example: 'Doe' }) last_name!: string;
  @Text(255, { required: true, example: 'Bagdat Cd. 12/3' }) line!: string;
  @Text(64, { required: true, example: 'Istanbul' }) city!: string;
  @Text(64, { required: false, example: 'Kadikoy' }) township?: string;
  @Text(64, { required: false, example: 'Caddebostan' }) district?: string;

  @Text(16, { required: false, example: '34728' })
  @Matches(/^[A-Za-z0-9 -]*$/, { message: message('validation.invalid') })
  postcode?: string;

  @Text(32, { required: true, example: '+905551234567' })
  @Matches(/^\+?[0-9 ()-]{7,31}$/, { message: message('loyalty_card.invalid_phone') })
  phone!: string;

  @ApiProperty({ example: 'TR', description: 'ISO 3166-1 alpha-2 country code' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString({ message: message('checkout.country_invalid') })
  @Matches(/^[A-Z]{2}$/, { message: message('checkout.country_invalid') })
  country!: string;

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean({ message: message('validation.not_boolean') })
  is_corporate?: boolean;

  @Text(128, { required: false, example: '' }) company_name?: string;
  @Text(64, { required: false, example: '' }) tax_office?: string;
  @Text(32, { required: false, example: '' }) tax_no?: string;
}

/** `PATCH`: only the fields sent change. */
export class AddressUpdateDto extends PartialType(AddressCreateDto) {}

export class AddressResponseDto {
  @ApiProperty({ example: 4 }) pk!: number;
  @ApiProperty({ example: 'Home' }) title!: string;
  @ApiProperty({ example: 'Jane' }) first_name!: string;
  @ApiProperty({ example: 'Doe' }) last_name!: string;
  @ApiProperty({ example: 'Bagdat Cd. 12/3' }) line!: string;
  @ApiProperty({ example: 'Istanbul' }) city!: string;
  @ApiProperty({ example: 'Kadikoy' }) township!: string;
  @ApiProperty({ example: 'Caddebostan' }) district!: string;
  @ApiProperty({ example: '34728' }) postcode!: string;
  @ApiProperty({ example: '+905551234567' }) phone!: string;
  @ApiProperty({ example: 'TR' }) country!: string;
  @ApiProperty({ example: false }) is_corporate!: boolean;
  @ApiProperty({ example: '' }) company_name!: string;
  @ApiProperty({ example: '' }) tax_office!: string;
  @ApiProperty({ example: '' }) tax_no!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
}

export class CountryResponseDto {
  @ApiProperty({ example: 'TR' }) code!: string;
}

export class PlaceResponseDto {
  @ApiProperty({ example: 'Istanbul' }) name!: string;
}

/** The detailed list nests the place fields as objects, the shape the storefront's address views read. */
export class AddressDetailedResponseDto {
  @ApiProperty({ example: 4 }) pk!: number;
  @ApiProperty({ example: 'Home' }) title!: string;
  @ApiProperty({ example: 'Jane' }) first_name!: string;
  @ApiProperty({ example: 'Doe' }) last_name!: string;
  @ApiProperty({ example: 'Bagdat Cd. 12/3' }) line!: string;
  @ApiProperty({ type: CountryResponseDto }) country!: CountryResponseDto;
  @ApiProperty({ type: PlaceResponseDto }) city!: PlaceResponseDto;
  @ApiProperty({ type: PlaceResponseDto, nullable: true }) township!: PlaceResponseDto | null;
  @ApiProperty({ type: PlaceResponseDto, nullable: true }) district!: PlaceResponseDto | null;
  @ApiProperty({ example: '34728' }) postcode!: string;
  @ApiProperty({ example: '+905551234567' }) phone!: string;
  @ApiProperty({ example: false }) is_corporate!: boolean;
  @ApiProperty({ example: '' }) company_name!: string;
  @ApiProperty({ example: '' }) tax_office!: string;
  @ApiProperty({ example: '' }) tax_no!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
}
