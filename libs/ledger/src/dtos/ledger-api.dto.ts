import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQueryDto, IsCurrencyCode, IsDateTimeText, IsPk, message } from '@app/common';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ACCOUNT_NUMBER_LENGTH_MAX } from '../entities/loyalty-account.entity';
import { REFERENCE_LENGTH_MAX, TRANSACTION_KINDS, type TransactionKind } from '../entities/loyalty-transaction.entity';
import { ACCOUNT_ORDERINGS } from '../services/loyalty-account.service';
import { ORDER_NUMBER_DESCRIPTION } from './loyalty-transfer.dto';

const ORDERING_VALUES = ACCOUNT_ORDERINGS.flatMap((field) => [field, `-${field}`]);

/** `GET loyalty_account/` filters. */
export class LoyaltyAccountListQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ description: 'User pk', example: 414185 })
  @IsOptional()
  @IsPk({ text: 'number', firstCheck: 'minimum' })
  user?: number;

  @ApiPropertyOptional({ maxLength: 254, example: 'john.doe@akinon.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254, { message: message('validation.max_length', { max: 254 }) })
  user_email?: string;

  @ApiPropertyOptional({ example: 'try' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ maxLength: ACCOUNT_NUMBER_LENGTH_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(ACCOUNT_NUMBER_LENGTH_MAX, {
    message: message('validation.max_length', { max: ACCOUNT_NUMBER_LENGTH_MAX }),
  })
  number?: string;

  @ApiPropertyOptional({ enum: ORDERING_VALUES, default: 'pk', description: "A leading '-' sorts descending" })
  @IsOptional()
  @IsIn(ORDERING_VALUES, { message: message('ledger.ordering_invalid', { values: ORDERING_VALUES.join(', ') }) })
  ordering?: string;
}

/** `GET loyalty_transfer/` filters. */
export class LoyaltyTransferListQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ description: 'Account pk', example: 6 })
  @IsOptional()
  @IsPk({ text: 'number', firstCheck: 'minimum' })
  account?: number;

  @ApiPropertyOptional({ description: 'Owner (user pk) of the account', example: 414185 })
  @IsOptional()
  @IsPk({ text: 'number', firstCheck: 'minimum' })
  user?: number;

  @ApiPropertyOptional({ description: 'Order number', maxLength: REFERENCE_LENGTH_MAX, example: '2428483542614519' })
  @IsOptional()
  @IsString()
  @MaxLength(REFERENCE_LENGTH_MAX, { message: message('validation.max_length', { max: REFERENCE_LENGTH_MAX }) })
  order?: string;

  @ApiPropertyOptional({ example: 'try' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after', example: '2023-10-01T00:00:00Z' })
  @IsOptional()
  @IsDateTimeText()
  created_date__gte?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Created before (exclusive)',
    example: '2023-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsDateTimeText()
  created_date__lt?: string;
}

/** `GET loyalty-transactions/` filters. */
export class LoyaltyTransactionListQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ description: 'Order number', maxLength: REFERENCE_LENGTH_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(REFERENCE_LENGTH_MAX, { message: message('validation.max_length', { max: REFERENCE_LENGTH_MAX }) })
  order?: string;

  @ApiPropertyOptional({ description: 'User pk' })
  @IsOptional()
  @IsPk({ text: 'number', firstCheck: 'minimum' })
  user?: number;

  @ApiPropertyOptional({ enum: TRANSACTION_KINDS })
  @IsOptional()
  @IsIn(TRANSACTION_KINDS, { message: message('validation.not_in', { values: TRANSACTION_KINDS.join(', ') }) })
  kind?: TransactionKind;
}

export class LoyaltyTransferTransactionAdminDto {
  @ApiProperty({ format: 'uuid', example: '51536d0f-10de-4ba3-98b6-6df05ede5b16' }) uuid!: string;
  // Typed as string (not the union) so the swagger plugin and the build give one stable schema.
  @ApiProperty({ type: String, enum: TRANSACTION_KINDS, example: 'order_payment' }) kind!: string;
  @ApiProperty({ type: String, description: ORDER_NUMBER_DESCRIPTION, example: '2428483542614519' })
  order!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Staff user or customer who acted', example: 414185 })
  actor!: number | null;
  @ApiProperty({ format: 'date-time', example: '2023-10-23T14:12:56.846147Z' }) created_date!: string;
}

/** One posting in the back-office lists: the contract's fields plus the account and the transaction's identity. */
export class LoyaltyTransferAdminResponseDto {
  @ApiProperty({ example: 101 }) pk!: number;
  @ApiProperty({ example: 10, description: 'Account pk' }) account!: number;
  @ApiProperty({ example: '-14.00' }) amount!: string;
  @ApiProperty({ type: String, nullable: true, example: '36.00', description: 'Null for system accounts' })
  balance_after!: string | null;
  @ApiProperty({ type: LoyaltyTransferTransactionAdminDto }) transaction!: LoyaltyTransferTransactionAdminDto;
  @ApiProperty({ format: 'date-time', example: '2023-10-23T14:12:56.849493Z' }) created_date!: string;
  @ApiProperty({ example: 'try' }) currency!: string;
}

/** A transaction with its postings. */
export class LoyaltyTransactionResponseDto {
  @ApiProperty({ example: 2 }) pk!: number;
  @ApiProperty({ format: 'uuid', example: '51536d0f-10de-4ba3-98b6-6df05ede5b16' }) uuid!: string;
  @ApiProperty({ type: String, enum: TRANSACTION_KINDS, example: 'refund' }) kind!: string;
  @ApiProperty({ example: '20.00', description: 'What moved (the sum of the positive postings)' }) amount!: string;
  @ApiProperty({ example: 'try' }) currency!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Order pk', example: 189 }) order!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Order number', example: '2352410252911715' })
  order_number!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 414148 }) user!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'iso@iso.com' }) user_email!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2352410252911715' }) reference!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Staff user or customer who acted' }) actor!: number | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The payment a refund refunds; for an `earning_reversal`, the order earning it takes back from',
  })
  refunded_transaction!: string | null;
  @ApiProperty({
    example: '0.00',
    description:
      'On a refund or cross-refund (or an earning credited after refunds): the part of the order’s earned store ' +
      'credit it made due back that the customer account did not hold, so was not taken back. "0.00" otherwise.',
  })
  earning_shortfall!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ type: [LoyaltyTransferAdminResponseDto] }) transfers!: LoyaltyTransferAdminResponseDto[];
}

/** `GET /account/loyalty-account-balance/`: a JSON number, as the storefront client types it. */
export class LoyaltyBalanceResponseDto {
  @ApiProperty({
    type: Number,
    format: 'decimal',
    example: 50.5,
    description: 'Sum of the user’s accounts in the session currency; 0 when there are none',
  })
  balance!: number;
}

export class EnumValueDto {
  @ApiProperty({ example: 'try' }) value!: string;
  @ApiProperty({ example: 'TRY' }) label!: string;
}

export class AccountLoyaltyTransactionDto {
  @ApiProperty({ type: String, description: ORDER_NUMBER_DESCRIPTION, example: '2428483542614519' })
  order!: string;
  @ApiProperty({ format: 'date-time', example: '2023-10-23T14:12:56.846147Z' }) created_date!: string;
}

/** One entry of `GET /account/loyalty/`. */
export class AccountLoyaltyTransferResponseDto {
  @ApiProperty({ example: '-14.00', description: 'Positive: earned; negative: spent' }) amount!: string;
  @ApiProperty({ type: EnumValueDto }) currency!: EnumValueDto;
  @ApiProperty({ format: 'date-time', example: '2023-10-23T14:12:56.849493Z' }) created_date!: string;
  @ApiProperty({ type: AccountLoyaltyTransactionDto }) transaction!: AccountLoyaltyTransactionDto;
}
