import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { IsPk, message } from '@app/common';

/** Units of one product in a basket. */
export const LINE_QUANTITY_MAX = 100;
/** Different products in one basket. */
export const BASKET_LINES_MAX = 50;
/** JSON size of a line's `attributes` (gift notes and the like, not blobs). */
export const ATTRIBUTES_BYTES_MAX = 1024;

export class BasketAddDto {
  @ApiProperty({ example: 12, description: 'Product pk' })
  @IsPk({ text: 'number', firstCheck: 'maximum' })
  product!: number;

  @ApiPropertyOptional({ example: 1, default: 1, minimum: 1, maximum: LINE_QUANTITY_MAX, description: 'Units to add' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: message('validation.not_integer') })
  @Min(1, { message: message('validation.min', { min: 1 }) })
  @Max(LINE_QUANTITY_MAX, { message: message('validation.max', { max: LINE_QUANTITY_MAX }) })
  quantity?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {}, description: 'Line attributes' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

/** Sets a line's quantity (0 removes it). Without `product` nothing changes: the client sends `{}` at times. */
export class BasketUpdateDto {
  @ApiPropertyOptional({ example: 12, description: 'Product pk' })
  @IsOptional()
  @IsPk({ text: 'number', firstCheck: 'maximum' })
  product?: number;

  @ApiPropertyOptional({ example: 2, minimum: 0, maximum: LINE_QUANTITY_MAX, description: 'New quantity; 0 removes' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: message('validation.not_integer') })
  @Min(0, { message: message('validation.min', { min: 0 }) })
  @Max(LINE_QUANTITY_MAX, { message: message('validation.max', { max: LINE_QUANTITY_MAX }) })
  quantity?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class BasketProductResponseDto {
  @ApiProperty({ example: 12 }) pk!: number;
  @ApiProperty({ example: 'DEMO-TSHIRT' }) sku!: string;
  @ApiProperty({ example: 'Demo T-shirt' }) name!: string;
  @ApiProperty({ example: '250.00', description: 'Unit price in the basket’s currency' }) price!: string;
  @ApiProperty({ example: 'try' }) currency_type!: string;
}

export class BasketItemResponseDto {
  @ApiProperty({ example: 7 }) id!: number;
  @ApiProperty({ type: BasketProductResponseDto }) product!: BasketProductResponseDto;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ example: '250.00' }) unit_price!: string;
  @ApiProperty({ example: '250.00', description: 'Unit price after discounts' }) price!: string;
  @ApiProperty({ example: '500.00' }) total_amount!: string;
  @ApiProperty({ example: 'try' }) currency_type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: {} }) attributes!: Record<string, unknown>;
}

export class BasketResponseDto {
  @ApiProperty({
    example: 3,
    nullable: true,
    type: Number,
    description: 'null until something is put in the basket',
  })
  pk!: number | null;

  @ApiProperty({ type: [BasketItemResponseDto] }) basketitem_set!: BasketItemResponseDto[];
  @ApiProperty({ example: '500.00' }) total_amount!: string;
  @ApiProperty({ example: 2 }) total_quantity!: number;
  @ApiProperty({ example: '500.00' }) total_product_amount!: string;
  @ApiProperty({ example: '0.00' }) total_discount_amount!: string;
  @ApiProperty({ example: 'try' }) currency_type!: string;
}

export class BasketEnvelopeResponseDto {
  @ApiProperty({ type: BasketResponseDto }) basket!: BasketResponseDto;
}
