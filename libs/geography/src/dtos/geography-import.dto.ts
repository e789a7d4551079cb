import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
  ValidateNested,
} from 'class-validator';
import { message } from '@app/common';
import { isTranslations, PRIORITY_MAX } from './geography-admin.dto';
import { GEOGRAPHY_NAME_LENGTH_MAX, GEOGRAPHY_POSTCODE_LENGTH_MAX } from './geography-query.dto';

/** Bounds of one import file: Türkiye's whole tree (81 cities, ~970 townships, ~50,000 districts) fits well. */
export const IMPORT_LIMITS = {
  countries: 250,
  citiesPerCountry: 5_000,
  townshipsPerCity: 5_000,
  districtsPerTownship: 10_000,
  rowsTotal: 1_000_000,
} as const;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** Names are stored in NFC: an "İzmir" typed with a combining dot (NFD) is the stored "İzmir", not a second one. */
const nfc = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().normalize('NFC') : value;

const Name = (): PropertyDecorator =>
  applyDecorators(
    Transform(nfc),
    IsString({ message: message('validation.not_string') }),
    MinLength(1, { message: message('validation.required') }),
    MaxLength(GEOGRAPHY_NAME_LENGTH_MAX, {
      message: message('validation.max_length', { max: GEOGRAPHY_NAME_LENGTH_MAX }),
    }),
  );

/** Absent: an existing row keeps its postcode; null or "": none. */
const Postcode = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    Transform(trim),
    IsString({ message: message('validation.not_string') }),
    MaxLength(GEOGRAPHY_POSTCODE_LENGTH_MAX, {
      message: message('validation.max_length', { max: GEOGRAPHY_POSTCODE_LENGTH_MAX }),
    }),
    Matches(/^[A-Za-z0-9 -]*$/, { message: message('validation.invalid') }),
  );

const Active = (): PropertyDecorator =>
  applyDecorators(IsOptional(), IsBoolean({ message: message('validation.not_boolean') }));

const Translations = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    ValidateBy(
      { name: 'isTranslations', validator: { validate: (value: unknown) => isTranslations(value) } },
      { message: message('geography.translations_invalid') },
    ),
  );

function Children(type: () => new () => object, max: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsArray({ message: message('validation.invalid') }),
    ArrayMaxSize(max, { message: message('validation.max', { max }) }),
    ValidateNested({ each: true }),
    Type(type),
  );
}

export class ImportDistrictDto {
  @Name() name!: string;
  @Postcode() postcode?: string | null;
  @Active() is_active?: boolean;
}

export class ImportTownshipDto {
  @Name() name!: string;
  @Postcode() postcode?: string | null;
  @Active() is_active?: boolean;
  @Children(() => ImportDistrictDto, IMPORT_LIMITS.districtsPerTownship) districts?: ImportDistrictDto[];
}

export class ImportCityDto {
  @Name() name!: string;
  @Postcode() postcode?: string | null;

  @IsOptional()
  @IsInt({ message: message('validation.not_integer') })
  @Min(0, { message: message('validation.min', { min: 0 }) })
  @Max(PRIORITY_MAX, { message: message('validation.max', { max: PRIORITY_MAX }) })
  priority?: number | null;

  @Active() is_active?: boolean;
  @Translations() translations?: Record<string, { name: string }> | null;
  @Children(() => ImportTownshipDto, IMPORT_LIMITS.townshipsPerCity) townships?: ImportTownshipDto[];
}

export class ImportCountryDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString({ message: message('checkout.country_invalid') })
  @Matches(/^[A-Z]{2}$/, { message: message('checkout.country_invalid') })
  code!: string;

  @Name() name!: string;
  @Active() is_active?: boolean;
  @Translations() translations?: Record<string, { name: string }> | null;
  @Children(() => ImportCityDto, IMPORT_LIMITS.citiesPerCountry) cities?: ImportCityDto[];
}

/** The import file: `{"countries": [{"code", "name", "cities": [{"name", "postcode", "townships": [...]}]}]}`. */
export class GeographyImportDto {
  @IsArray({ message: message('validation.required') })
  @ArrayMaxSize(IMPORT_LIMITS.countries, { message: message('validation.max', { max: IMPORT_LIMITS.countries }) })
  @ValidateNested({ each: true })
  @Type(() => ImportCountryDto)
  countries!: ImportCountryDto[];
}
