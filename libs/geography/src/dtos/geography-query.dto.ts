import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsPk, message, PageNumberParam, PageSizeParam } from '@app/common';

/**
 * One page holds a whole list for any real country (Türkiye's largest township has a few hundred districts): the
 * storefront client reads `results` of one call and sends no paging parameters.
 */
export const GEOGRAPHY_PAGE_SIZE_MAX = 1000;
export const GEOGRAPHY_NAME_LENGTH_MAX = 64;
export const GEOGRAPHY_POSTCODE_LENGTH_MAX = 16;

const BOOLEAN_TEXT = ['true', 'false', 'True', 'False', '1', '0'];
const booleanText = (value: string | undefined): boolean | undefined =>
  value === undefined ? undefined : ['true', 'True', '1'].includes(value);

/** A pk filter: an integer id, or a 400 field error (never a 500). */
function PkFilter(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, example: 1, type: Number }),
    IsOptional(),
    IsPk({ text: 'number' }),
  );
}

function BooleanFilter(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, enum: BOOLEAN_TEXT, type: String }),
    IsOptional(),
    IsIn(BOOLEAN_TEXT, { message: message('validation.not_boolean') }),
  );
}

/** `?page=&page_size=` of the geography lists (page_size up to 1000, more is read as 1000; default 1000). */
export class GeographyPageQueryDto {
  @PageNumberParam()
  page: number = 1;

  @PageSizeParam(GEOGRAPHY_PAGE_SIZE_MAX, GEOGRAPHY_PAGE_SIZE_MAX)
  page_size: number = GEOGRAPHY_PAGE_SIZE_MAX;

  get offset(): number {
    return (this.page - 1) * this.page_size;
  }
}

/** The retail-store variants of the client's city and township lookups send `retailstore__isnull=false`. */
export class RetailStoreFilterDto extends GeographyPageQueryDto {
  @BooleanFilter(
    '`false`: only places with a retail store. This installation has no retail stores, so `false` answers an ' +
      'empty page and `true` (or nothing) every place',
  )
  retailstore__isnull?: string;

  /** True when the filter asks for places with a retail store (there are none). */
  get onlyWithRetailStore(): boolean {
    return booleanText(this.retailstore__isnull) === false;
  }
}

export class CountryQueryDto extends GeographyPageQueryDto {}

export class CityQueryDto extends RetailStoreFilterDto {
  @PkFilter('Country pk') country?: number;
}

export class TownshipQueryDto extends RetailStoreFilterDto {
  @PkFilter('City pk') city?: number;
}

export class DistrictQueryDto extends GeographyPageQueryDto {
  @PkFilter('Township pk') township?: number;
}

/** Back-office filters besides the storefront's: by activity (inactive rows are listed too) and part of the name. */
function ActiveFilter(): PropertyDecorator {
  return BooleanFilter('Only active (`true`) or only inactive (`false`) rows; both when absent');
}

function NameFilter(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      maxLength: GEOGRAPHY_NAME_LENGTH_MAX,
      description: 'Part of the name, any case',
      example: 'kad',
    }),
    IsOptional(),
    IsString({ message: message('validation.not_string') }),
    MaxLength(GEOGRAPHY_NAME_LENGTH_MAX, {
      message: message('validation.max_length', { max: GEOGRAPHY_NAME_LENGTH_MAX }),
    }),
  );
}

/** `is_active` of a back-office filter as a boolean; undefined when absent. */
export const activeFilter = (query: { is_active?: string }): boolean | undefined => booleanText(query.is_active);

export class CountryAdminQueryDto extends CountryQueryDto {
  @ActiveFilter() is_active?: string;
  @NameFilter() name?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 code', example: 'TR' })
  @IsOptional()
  @IsString({ message: message('validation.not_string') })
  @Matches(/^[A-Za-z]{2}$/, { message: message('checkout.country_invalid') })
  code?: string;
}

export class CityAdminQueryDto extends CityQueryDto {
  @ActiveFilter() is_active?: string;
  @NameFilter() name?: string;
}

export class TownshipAdminQueryDto extends TownshipQueryDto {
  @ActiveFilter() is_active?: string;
  @NameFilter() name?: string;
}

export class DistrictAdminQueryDto extends DistrictQueryDto {
  @ActiveFilter() is_active?: string;
  @NameFilter() name?: string;
}
