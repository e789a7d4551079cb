import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAmount, IsPk, message } from '@app/common';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ACCOUNT_NUMBER_LENGTH_MAX } from '../entities/loyalty-account.entity';
import { REFERENCE_LENGTH_MAX } from '../entities/loyalty-transaction.entity';

/** The published schema types `transaction.order` as a string, and the platform's client reads it as one. */
export const ORDER_NUMBER_DESCRIPTION =
  'The order number; "" for a movement without an order (opening balance, adjustment, staff transfer)';

export class LoyaltyTransferCreateDto {
  @ApiProperty({ type: String, example: '20' })
  @IsAmount()
  amount!: string | number;

  @ApiProperty({ description: 'Account pk (a numeric string too)' })
  @IsPk({ text: 'integer', firstCheck: 'minimum' })
  source_account!: number;

  @ApiProperty({ description: 'Account pk (a numeric string too)' })
  @IsPk({ text: 'integer', firstCheck: 'minimum' })
  destination_account!: number;
}

export class LoyaltyRefundCreateDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  transaction_uuid!: string;

  @ApiProperty({ type: String, example: '20' })
  @IsAmount()
  amount!: string | number;

  @ApiPropertyOptional({ maxLength: ACCOUNT_NUMBER_LENGTH_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(ACCOUNT_NUMBER_LENGTH_MAX, {
    message: message('validation.max_length', { max: ACCOUNT_NUMBER_LENGTH_MAX }),
  })
  invoice_number?: string;
}

export class LoyaltyCrossRefundCreateDto {
  @ApiProperty({ maxLength: REFERENCE_LENGTH_MAX })
  @IsString()
  @MaxLength(REFERENCE_LENGTH_MAX, { message: message('validation.max_length', { max: REFERENCE_LENGTH_MAX }) })
  order_number!: string;

  @ApiProperty({ type: String, example: '20' })
  @IsAmount()
  amount!: string | number;

  @ApiPropertyOptional({ maxLength: ACCOUNT_NUMBER_LENGTH_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(ACCOUNT_NUMBER_LENGTH_MAX, {
    message: message('validation.max_length', { max: ACCOUNT_NUMBER_LENGTH_MAX }),
  })
  invoice_number?: string;
}

/** The contract's refund / cross-refund response. */
export class LoyaltyRefundResponseDto {
  @ApiProperty() pk!: number;
  @ApiProperty({ format: 'uuid' }) uuid!: string;
  @ApiProperty({ example: '20.00' }) amount!: string;
  @ApiProperty({ type: Number, nullable: true }) order!: number | null;
  @ApiProperty({ type: Number, nullable: true }) user!: number | null;
  @ApiProperty({ type: String, nullable: true }) user_email!: string | null;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
}

export class LoyaltyTransferTransactionDto {
  @ApiProperty({ type: String, description: ORDER_NUMBER_DESCRIPTION, example: '2428483542614519' }) order!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
}

/** One posting as the transfer lists show it. */
export class LoyaltyTransferResponseDto {
  @ApiProperty({ example: '-14.00' }) amount!: string;
  @ApiProperty({ type: LoyaltyTransferTransactionDto }) transaction!: LoyaltyTransferTransactionDto;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ example: 'try' }) currency!: string;
}
