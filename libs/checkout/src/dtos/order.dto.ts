import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { message, PageQueryDto, IsDateTimeText } from '@app/common';
import { ORDER_STATUSES, type OrderStatus } from '../entities/order.entity';
import { CompletedOrderDto } from './checkout.dto';

const PK_MAX = 2_147_483_647;
const EMAIL_LENGTH_MAX = 254;

/** Fields the back-office order list sorts by; a leading '-' sorts descending. */
export const ORDER_ORDERINGS = ['created_date', 'number', 'total_amount'] as const;
const ORDERING_VALUES = ORDER_ORDERINGS.flatMap((field) => [field, `-${field}`]);

/** A customer's own order, as the thank-you page shows it. */
export class OrderResponseDto extends CompletedOrderDto {}

/** One money movement of an order in the ledger (its payment, refunds). */
export class OrderLoyaltyTransactionDto {
  @ApiProperty({ format: 'uuid', example: '51536d0f-10de-4ba3-98b6-6df05ede5b16' }) uuid!: string;
  @ApiProperty({ example: 'order_payment' }) kind!: string;
  @ApiProperty({ example: '30.00', description: 'The transaction amount, a decimal string' }) amount!: string;
  @ApiProperty({ example: 'try' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
}

/** An order as the back office sees it: the storefront's shape plus its owner. */
export class OrderAdminResponseDto extends CompletedOrderDto {
  @ApiProperty({ example: 414185 }) user!: number;
  @ApiProperty({ example: 'jane@example.com', nullable: true, type: String }) user_email!: string | null;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
}

export class OrderAdminDetailResponseDto extends OrderAdminResponseDto {
  @ApiProperty({ type: [OrderLoyaltyTransactionDto], description: 'Oldest first; at most 100' })
  loyalty_transactions!: OrderLoyaltyTransactionDto[];
}

/** `GET orders/` filters of the back office. */
export class OrderAdminListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Order number (16 digits)', example: '2428483542614519' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,16}$/, { message: message('validation.invalid') })
  number?: string;

  @ApiPropertyOptional({ description: 'User pk', example: 414185 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, { message: message('validation.min', { min: 1 }) })
  @Max(PK_MAX, { message: message('validation.max', { max: PK_MAX }) })
  user?: number;

  @ApiPropertyOptional({ maxLength: EMAIL_LENGTH_MAX, example: 'jane@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_LENGTH_MAX, { message: message('validation.max_length', { max: EMAIL_LENGTH_MAX }) })
  user_email?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: message('validation.not_in', { values: ORDER_STATUSES.join(', ') }) })
  status?: OrderStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsDateTimeText()
  created_date__gte?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Created before (exclusive)',
    example: '2026-02-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateTimeText()
  created_date__lt?: string;

  @ApiPropertyOptional({
    enum: ORDERING_VALUES,
    default: '-created_date',
    description: "A leading '-' sorts descending",
  })
  @IsOptional()
  @IsIn(ORDERING_VALUES, { message: message('ledger.ordering_invalid', { values: ORDERING_VALUES.join(', ') }) })
  ordering?: string;
}
