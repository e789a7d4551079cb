import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsDateTimeText, IsPk, message, PageQueryDto } from '@app/common';
import { CANCEL_REASONS, ORDER_STATUSES, type OrderStatus, SETTLE_ACTIONS } from '../entities/order.entity';
import { CompletedOrderDto } from './checkout.dto';

const EMAIL_LENGTH_MAX = 254;

/** Fields the back-office order list sorts by; a leading '-' sorts descending. */
export const ORDER_ORDERINGS = ['created_date', 'number', 'total_amount'] as const;
const ORDERING_VALUES = ORDER_ORDERINGS.flatMap((field) => [field, `-${field}`]);

/** A customer's own order, as the thank-you page shows it. */
export class OrderResponseDto extends CompletedOrderDto {}

/** One money movement of an order in the ledger (its payment, earning, refunds and earning reversals). */
export class OrderLoyaltyTransactionDto {
  @ApiProperty({ format: 'uuid', example: '51536d0f-10de-4ba3-98b6-6df05ede5b16' }) uuid!: string;
  @ApiProperty({
    example: 'order_payment',
    description:
      '`order_payment`, `transfer` (the order’s earning), `refund`, `cross_refund`, `earning_reversal` (earned ' +
      'store credit taken back after a refund)',
  })
  kind!: string;
  @ApiProperty({ example: '30.00', description: 'The transaction amount, a decimal string' }) amount!: string;
  @ApiProperty({
    example: '0.00',
    description:
      'Earned store credit this refund made due back but the customer no longer held, so not taken back; "0.00" ' +
      'when nothing was short',
  })
  earning_shortfall!: string;
  @ApiProperty({ example: 'try' }) currency!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
}

/** An order as the back office sees it: the storefront's shape plus its owner and, when cancelled, why. */
export class OrderAdminResponseDto extends CompletedOrderDto {
  @ApiProperty({ example: 414185 }) user!: number;
  @ApiProperty({ example: 'jane@example.com', nullable: true, type: String }) user_email!: string | null;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
  @ApiProperty({
    enum: CANCEL_REASONS,
    type: String,
    nullable: true,
    example: null,
    description:
      'Why a `cancelled` order was cancelled (null otherwise). `card_declined`, `store_credit_refused` and ' +
      '`placement_unfinished` (recovery cancelled a placement that never finished; nothing charged) are failed ' +
      'attempts: the customer’s `/users/orders/` leaves them out. `staff_cancelled`: staff cancelled a ' +
      '`payment_review` order; the customer keeps seeing it.',
  })
  cancel_reason!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'insufficient_funds',
    description:
      'What the reason rests on: the gateway’s decline reason, the ledger’s refusal code, or what recovery found',
  })
  cancel_detail!: string | null;
}

/** The order's card charge as recorded: what the gateway answered. */
export class OrderCardChargeDto {
  @ApiProperty({ enum: ['approved', 'declined', 'voided'], example: 'approved' }) status!: string;
  @ApiProperty({ example: '51.50', description: 'What the card was charged: card amount plus interest' })
  amount!: string;
  @ApiProperty({
    example: 'sbx_1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
    description: "The gateway's id; empty for a decline",
  })
  reference!: string;
  @ApiProperty({ example: 'sandbox' }) gateway!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) decline_reason!: string | null;
}

/** How staff settled a `payment_review` order. */
export class OrderSettlementDto {
  @ApiProperty({ enum: SETTLE_ACTIONS, type: String }) action!: string;
  @ApiProperty({ example: 'The bank confirmed the charge by phone' }) reason!: string;
  @ApiProperty({ example: 3, description: 'The staff user' }) settled_by!: number;
  @ApiProperty({ format: 'date-time' }) settled_at!: string;
}

/** Where the order's payment stands. */
export class OrderPaymentStateDto {
  @ApiProperty({ type: OrderCardChargeDto, nullable: true }) card_charge!: OrderCardChargeDto | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The store-credit payment in the ledger' })
  loyalty_payment_uuid!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the order is in `payment_review`' })
  review_reason!: string | null;
  @ApiProperty({ type: OrderSettlementDto, nullable: true }) settlement!: OrderSettlementDto | null;
}

export class OrderAdminDetailResponseDto extends OrderAdminResponseDto {
  @ApiProperty({ type: [OrderLoyaltyTransactionDto], description: 'Oldest first; at most 100' })
  loyalty_transactions!: OrderLoyaltyTransactionDto[];

  @ApiProperty({ type: OrderPaymentStateDto }) payment!: OrderPaymentStateDto;
}

/** `POST orders/{pk}/settle/`: how staff settle an order in `payment_review`. */
export class OrderSettleDto {
  @ApiProperty({
    enum: SETTLE_ACTIONS,
    type: String,
    description:
      '`complete`: the charge went through (checked with the gateway); the store-credit part is paid and the order ' +
      'completed. `cancel`: the card charge is voided, store credit paid for it is refunded, the stock comes back.',
  })
  @IsIn(SETTLE_ACTIONS, { message: message('validation.not_in', { values: SETTLE_ACTIONS.join(', ') }) })
  action!: string;

  @ApiProperty({ minLength: 1, maxLength: 500, example: 'The bank confirmed the charge by phone' })
  @IsString({ message: message('validation.required') })
  @MinLength(1, { message: message('validation.required') })
  @MaxLength(500, { message: message('validation.max_length', { max: 500 }) })
  reason!: string;
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
  @IsPk({ text: 'number', firstCheck: 'maximum' })
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
