import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { AddressResponseDto } from './address.dto';

/**
 * A checkout page's form (application/x-www-form-urlencoded, falsy fields dropped by the client). Every field is
 * kept as sent and checked by the page itself, so a bad value is answered with HTTP 200 and `errors`.
 */
export class CheckoutFormDto {
  @ApiPropertyOptional({ type: String, example: '1' }) @Allow() delivery_option?: unknown;
  @ApiPropertyOptional({ type: String, example: '4' }) @Allow() shipping_address?: unknown;
  @ApiPropertyOptional({ type: String, example: '4' }) @Allow() billing_address?: unknown;
  @ApiPropertyOptional({ type: String, example: '1' }) @Allow() shipping_option?: unknown;
  @ApiPropertyOptional({ type: String, example: '2' }) @Allow() payment_option?: unknown;
  @ApiPropertyOptional({ type: String, example: '1' }) @Allow() installment?: unknown;
  @ApiPropertyOptional({ type: String, example: '30.00' }) @Allow() loyalty_amount_to_use?: unknown;
  @ApiPropertyOptional({ type: String, example: 'true', description: '"true", "1" or "on"' })
  @Allow()
  agreement?: unknown;
  @ApiPropertyOptional({
    type: String,
    example: '424242',
    description: 'BinNumberPage: the card’s first 6 to 8 digits',
  })
  @Allow()
  bin_number?: unknown;
  @ApiPropertyOptional({ type: String, example: 'Jane Doe' }) @Allow() card_holder?: unknown;
  @ApiPropertyOptional({
    type: String,
    example: '4242424242424242',
    description: 'Never stored nor logged; only its last 4 digits',
  })
  @Allow()
  card_number?: unknown;
  @ApiPropertyOptional({ type: String, example: '12' }) @Allow() card_month?: unknown;
  @ApiPropertyOptional({ type: String, example: '2030', description: 'Two or four digits' })
  @Allow()
  card_year?: unknown;
  @ApiPropertyOptional({ type: String, example: '123', description: '3 digits; 4 for American Express' })
  @Allow()
  card_cvv?: unknown;
  @ApiPropertyOptional({ type: String, example: 'true', description: '3-D Secure; absent or falsy means none' })
  @Allow()
  use_three_d?: unknown;
}

export class CheckoutPageContextDto {
  @ApiProperty({ example: 'LoyaltyMoneyUsagePage' }) page_name!: string;
  @ApiProperty({ example: 'loyaltymoneyusagepage' }) page_slug!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { balance: '50.00' } })
  page_context!: Record<string, unknown>;
}

export class CheckoutResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'basket, delivery_option, shipping_address, billing_address, shipping_option, shipping_amount, ' +
      'payment_option, installment, total_amount, total_amount_with_interest, unpaid_amount, loyalty_money, ' +
      'currency_type_label, is_guest, is_redirected (amounts as strings)',
  })
  pre_order!: Record<string, unknown>;

  @ApiProperty({ type: [CheckoutPageContextDto] }) context_list!: CheckoutPageContextDto[];
  @ApiProperty({ example: 'orders/checkout.html' }) template_name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { loyalty_amount_to_use: ['You can use at most 50.00 of loyalty money.'] },
    description: 'Validation errors (HTTP 200): `{field: ["..."]}` or `{non_field_errors: "..."}`',
  })
  errors!: Record<string, unknown> | null;
}

export class CompletedOrderDto {
  @ApiProperty({ example: 303 }) pk!: number;
  @ApiProperty({ example: '1234567890123456' }) number!: string;
  @ApiProperty({ example: '30.00' }) amount!: string;
  @ApiProperty({ example: '30.00' }) loyalty_amount!: string;
  @ApiProperty({ example: '0.00' }) card_amount!: string;
  @ApiProperty({ example: 'completed' }) status!: string;
  @ApiProperty({ example: 'try' }) currency!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  orderitem_set!: Record<string, unknown>[];
  @ApiProperty({ type: 'object', additionalProperties: true }) payment_option!: Record<string, unknown>;
  @ApiProperty({ example: 1 }) installment_count!: number;
  @ApiProperty({ example: '0.00', description: 'Installment interest charged to the card on top of card_amount' })
  interest_amount!: string;
  @ApiProperty({ example: '4242', nullable: true, type: String }) card_last4!: string | null;
  @ApiProperty({ example: 'visa', nullable: true, type: String }) card_type!: string | null;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ type: AddressResponseDto, nullable: true, description: 'As chosen at checkout; null on older orders' })
  shipping_address!: AddressResponseDto | null;
  @ApiProperty({ type: AddressResponseDto, nullable: true, description: 'As chosen at checkout; null on older orders' })
  billing_address!: AddressResponseDto | null;
}

export class CompletedOrderResponseDto {
  @ApiProperty({ type: CompletedOrderDto }) order!: CompletedOrderDto;
}
