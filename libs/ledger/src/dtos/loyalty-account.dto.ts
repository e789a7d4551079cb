import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatAmount, message } from '@app/common';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { ACCOUNT_NUMBER_MAX_LENGTH } from '../entities/loyalty-account.entity';
import { REASON_MAX_LENGTH } from '../entities/loyalty-transaction.entity';
import type { AccountView } from '../services/views';
import { IsAmount } from './is-amount';

export class LoyaltyAccountCreateDto {
  @ApiPropertyOptional({ maxLength: ACCOUNT_NUMBER_MAX_LENGTH, description: 'Generated (UUID hex) when left out' })
  @IsOptional()
  @IsString()
  @MaxLength(ACCOUNT_NUMBER_MAX_LENGTH, {
    message: message('validation.max_length', { max: ACCOUNT_NUMBER_MAX_LENGTH }),
  })
  number?: string;

  @ApiPropertyOptional({ description: 'User pk; or send user_email' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: message('validation.min', { min: 1 }) })
  user?: number;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsEmail()
  @MaxLength(254, { message: message('validation.max_length', { max: 254 }) })
  user_email?: string;

  @ApiPropertyOptional({ type: String, example: '100.00', description: 'Opening balance, moved from BANK' })
  @IsOptional()
  @IsAmount({ allowNonPositive: true })
  balance?: string | number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  debit_allowed?: boolean;

  @ApiProperty({ example: 'try', description: 'Three-letter currency code' })
  @IsString()
  @Matches(/^[A-Za-z]{3}$/, { message: message('ledger.currency_invalid') })
  currency!: string;
}

export class LoyaltyAccountUpdateDto {
  @ApiPropertyOptional({ type: String, example: '130.00', description: 'New balance; the difference moves from BANK' })
  @IsOptional()
  @IsAmount({ allowNonPositive: true })
  balance?: string | number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  debit_allowed?: boolean;

  @ApiPropertyOptional({ maxLength: REASON_MAX_LENGTH, description: 'Why the balance was adjusted' })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH, { message: message('validation.max_length', { max: REASON_MAX_LENGTH }) })
  reason?: string;
}

export class LoyaltyAccountResponseDto {
  @ApiProperty() pk!: number;
  @ApiProperty() number!: string;
  @ApiProperty({ type: String, nullable: true }) user_email!: string | null;
  @ApiProperty({ example: '100.00' }) balance!: string;
  @ApiProperty() debit_allowed!: boolean;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
  @ApiProperty({ format: 'date-time' }) modified_date!: string;
  @ApiProperty({ type: Number, nullable: true }) user!: number | null;
  @ApiProperty({ example: 'try' }) currency!: string;
}

export function toAccountResponse(view: AccountView): LoyaltyAccountResponseDto {
  return {
    pk: view.pk,
    number: view.number,
    user_email: view.user_email,
    balance: formatAmount(view.balance_minor),
    debit_allowed: view.debit_allowed,
    created_date: view.created_date.toISOString(),
    modified_date: view.modified_date.toISOString(),
    user: view.user,
    currency: view.currency,
  };
}
