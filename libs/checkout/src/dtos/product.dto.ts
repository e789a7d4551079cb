import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
  ValidateNested,
} from 'class-validator';
import { IsAmount, IsCurrencyCode, message, PageQueryDto, ToBoolean, ToInteger } from '@app/common';

export const SKU_LENGTH_MAX = 64;
export const PRODUCT_NAME_LENGTH_MAX = 255;
/** Stock of one product: far above any real warehouse, far below integer overflow. */
export const STOCK_MAX = 1_000_000;
/** Currencies one product may be priced in. */
export const PRICES_MAX = 10;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class ProductPriceDto {
  @ApiProperty({ example: 'try', description: 'Currency code (three letters; stored lower-case)' })
  @IsCurrencyCode({ lowerCase: true, message: 'validation.invalid' })
  currency!: string;

  @ApiProperty({ example: '20.00', description: 'Unit price: a decimal string with at most two decimals' })
  @IsAmount()
  amount!: string;
}

export class ProductCreateDto {
  @ApiProperty({ example: 'TSHIRT-RED-M', maxLength: SKU_LENGTH_MAX })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: message('validation.min_length', { min: 1 }) })
  @MaxLength(SKU_LENGTH_MAX, { message: message('validation.max_length', { max: SKU_LENGTH_MAX }) })
  @Matches(/^[A-Za-z0-9._-]+$/, { message: message('validation.invalid') })
  sku!: string;

  @ApiProperty({ example: 'Red T-shirt, M', maxLength: PRODUCT_NAME_LENGTH_MAX })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: message('validation.min_length', { min: 1 }) })
  @MaxLength(PRODUCT_NAME_LENGTH_MAX, { message: message('validation.max_length', { max: PRODUCT_NAME_LENGTH_MAX }) })
  name!: string;

  @ApiProperty({ type: [ProductPriceDto], minItems: 1, maxItems: PRICES_MAX })
  @IsArray()
  @ArrayMinSize(1, { message: message('validation.required') })
  @ArrayMaxSize(PRICES_MAX, { message: message('validation.max', { max: PRICES_MAX }) })
  @ValidateNested({ each: true })
  @Type(() => ProductPriceDto)
  prices!: ProductPriceDto[];

  @ApiProperty({ example: 25, minimum: 0, maximum: STOCK_MAX })
  @ToInteger()
  @IsInt({ message: message('validation.not_integer') })
  @Min(0, { message: message('validation.min', { min: 0 }) })
  @Max(STOCK_MAX, { message: message('validation.max', { max: STOCK_MAX }) })
  stock!: number;

  @ApiPropertyOptional({ example: true, default: true })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  active?: boolean;
}

/** Every field optional; `prices`, when sent, replaces all of the product's prices. */
export class ProductUpdateDto extends PartialType(ProductCreateDto) {}

export class ProductListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'SKU, exact', example: 'TSHIRT-RED-M' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(SKU_LENGTH_MAX, { message: message('validation.max_length', { max: SKU_LENGTH_MAX }) })
  sku?: string;
}

export class ProductPriceResponseDto {
  @ApiProperty({ example: 'try' }) currency!: string;
  @ApiProperty({ example: '20.00' }) amount!: string;
}

export class ProductResponseDto {
  @ApiProperty({ example: 1 }) pk!: number;
  @ApiProperty({ example: 'TSHIRT-RED-M' }) sku!: string;
  @ApiProperty({ example: 'Red T-shirt, M' }) name!: string;
  @ApiProperty({ type: [ProductPriceResponseDto] }) prices!: ProductPriceResponseDto[];
  @ApiProperty({ example: 25 }) stock!: number;
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
}
