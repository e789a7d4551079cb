import { applyDecorators } from '@nestjs/common';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { IsPk, message, ToBoolean, ToInteger } from '@app/common';
import { GEOGRAPHY_NAME_LENGTH_MAX, GEOGRAPHY_POSTCODE_LENGTH_MAX } from './geography-query.dto';

/** Languages a row may carry names for (BCP 47-ish: `tr`, `en`, `pt-br`); a bound on the stored object. */
const TRANSLATIONS_MAX = 20;
const LANGUAGE_CODE = /^[a-z]{2}(-[a-z]{2})?$/;
export const PRIORITY_MAX = 32_767;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** Names are stored in NFC: an "İzmir" typed with a combining dot (NFD) is the stored "İzmir", not a second one. */
const nfc = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().normalize('NFC') : value;

/** `{"en": {"name": "Turkey"}}`: at most 20 languages, each with a name of 1..64 characters. */
export function isTranslations(value: unknown): value is Record<string, { name: string }> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    entries.length <= TRANSLATIONS_MAX &&
    entries.every(([language, names]) => {
      if (!LANGUAGE_CODE.test(language) || names === null || typeof names !== 'object' || Array.isArray(names)) {
        return false;
      }
      const keys = Object.keys(names);
      const name = (names as { name?: unknown }).name;
      return (
        keys.length === 1 &&
        typeof name === 'string' &&
        name.trim().length > 0 &&
        name.length <= GEOGRAPHY_NAME_LENGTH_MAX
      );
    })
  );
}

const Name = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ minLength: 1, maxLength: GEOGRAPHY_NAME_LENGTH_MAX, example: 'Kadıköy' }),
    Transform(nfc),
    IsString({ message: message('validation.not_string') }),
    MinLength(1, { message: message('validation.required') }),
    MaxLength(GEOGRAPHY_NAME_LENGTH_MAX, {
      message: message('validation.max_length', { max: GEOGRAPHY_NAME_LENGTH_MAX }),
    }),
  );

const Postcode = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: GEOGRAPHY_POSTCODE_LENGTH_MAX, example: '34710', nullable: true, type: String }),
    IsOptional(),
    Transform(trim),
    IsString({ message: message('validation.not_string') }),
    MaxLength(GEOGRAPHY_POSTCODE_LENGTH_MAX, {
      message: message('validation.max_length', { max: GEOGRAPHY_POSTCODE_LENGTH_MAX }),
    }),
    Matches(/^[A-Za-z0-9 -]*$/, { message: message('validation.invalid') }),
  );

const Active = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example: true, default: true }),
    IsOptional(),
    ToBoolean(),
    IsBoolean({ message: message('validation.not_boolean') }),
  );

const Translations = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      nullable: true,
      additionalProperties: { type: 'object', properties: { name: { type: 'string' } } },
      example: { en: { name: 'Turkey' } },
      description: 'Names per language code (at most 20); null clears them',
    }),
    IsOptional(),
    ValidateBy(
      { name: 'isTranslations', validator: { validate: (value: unknown) => isTranslations(value) } },
      { message: message('geography.translations_invalid') },
    ),
  );

const ParentPk = (description: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ example: 1, description }), IsPk({ text: 'integer' }));

/** A parent sent to an update: refused by the service (a row never moves to another parent). */
const ReadOnlyParent = (): PropertyDecorator => applyDecorators(ApiHideProperty(), Allow());

export class CountryCreateDto {
  @ApiProperty({ example: 'TR', description: 'ISO 3166-1 alpha-2, unique' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString({ message: message('checkout.country_invalid') })
  @Matches(/^[A-Z]{2}$/, { message: message('checkout.country_invalid') })
  code!: string;

  @Name() name!: string;
  @Active() is_active?: boolean;
  @Translations() translations?: Record<string, { name: string }> | null;
}
export class CountryUpdateDto extends PartialType(CountryCreateDto) {}

export class CityCreateDto {
  @ParentPk('Country pk') country!: number;
  @Name() name!: string;
  @Postcode() postcode?: string | null;

  @ApiPropertyOptional({ example: 1, nullable: true, type: Number, minimum: 0, maximum: PRIORITY_MAX })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: message('validation.not_integer') })
  @Min(0, { message: message('validation.min', { min: 0 }) })
  @Max(PRIORITY_MAX, { message: message('validation.max', { max: PRIORITY_MAX }) })
  priority?: number | null;

  @Active() is_active?: boolean;
  @Translations() translations?: Record<string, { name: string }> | null;
}
export class CityUpdateDto extends PartialType(OmitType(CityCreateDto, ['country'])) {
  @ReadOnlyParent() country?: unknown;
}

export class TownshipCreateDto {
  @ParentPk('City pk') city!: number;
  @Name() name!: string;
  @Postcode() postcode?: string | null;
  @Active() is_active?: boolean;
}
export class TownshipUpdateDto extends PartialType(OmitType(TownshipCreateDto, ['city'])) {
  @ReadOnlyParent() city?: unknown;
}

export class DistrictCreateDto {
  @ParentPk('Township pk') township!: number;
  @Name() name!: string;
  @Postcode() postcode?: string | null;
  @Active() is_active?: boolean;
}
export class DistrictUpdateDto extends PartialType(OmitType(DistrictCreateDto, ['township'])) {
  @ReadOnlyParent() township?: unknown;
}
