import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAmount, IsCurrencyCode, IsPk, message, ToBoolean } from '@app/common';
import { Allow, IsBoolean, IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { ACCOUNT_NUMBER_LENGTH_MAX } from '../entities/loyalty-account.entity';
import { REASON_LENGTH_MAX } from '../entities/loyalty-transaction.entity';

export class LoyaltyAccountCreateDto {
  @ApiPropertyOptional({
    maxLength: ACCOUNT_NUMBER_LENGTH_MAX,
    description: 'Generated (UUID hex) when left out',
    example: 'e74496da-c3e7-4a91-b382-514f638d2141',
  })
  @IsOptional()
  @IsString()
  @MaxLength(ACCOUNT_NUMBER_LENGTH_MAX, {
    message: message('validation.max_length', { max: ACCOUNT_NUMBER_LENGTH_MAX }),
  })
  number?: string;

  @ApiPropertyOptional({ description: 'User pk; or send user_email', example: 414185 })
  @IsOptional()
  @IsPk({ text: 'integer', firstCheck: 'minimum' })
  user?: number;

  @ApiPropertyOptional({ maxLength: 254, example: 'john.doe@akinon.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254, { message: message('validation.max_length', { max: 254 }) })
  user_email?: string;

  @ApiPropertyOptional({ type: String, example: '100.00', description: 'Opening balance, moved from BANK' })
  @IsOptional()
  @IsAmount({ allowNonPositive: true })
  balance?: string | number;

  @ApiPropertyOptional({ default: false, example: true })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  debit_allowed?: boolean;

  @ApiProperty({ example: 'eur', description: 'Three-letter currency code' })
  @IsCurrencyCode()
  currency!: string;
}

export class LoyaltyAccountUpdateDto {
  @ApiPropertyOptional({ type: String, example: '130.00', description: 'New balance; the difference moves from BANK' })
  @IsOptional()
  @IsAmount({ allowNonPositive: true })
  balance?: string | number;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  debit_allowed?: boolean;

  @ApiPropertyOptional({
    maxLength: REASON_LENGTH_MAX,
    description: 'Why the balance was adjusted',
    example: 'Goodwill credit',
  })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_LENGTH_MAX, { message: message('validation.max_length', { max: REASON_LENGTH_MAX }) })
  reason?: string;

  /*
   * The account's other fields are read-only. A client may send them back as it read them (the whole object);
   * a value that differs is refused with a 400 naming the field.
   */
  @ApiPropertyOptional({ type: Number, readOnly: true, description: 'Read-only: accepted only unchanged' })
  @Allow()
  pk?: unknown;

  @ApiPropertyOptional({ type: String, readOnly: true, description: 'Read-only: accepted only unchanged' })
  @Allow()
  number?: unknown;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    readOnly: true,
    description: 'Read-only: accepted only unchanged',
  })
  @Allow()
  user?: unknown;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    readOnly: true,
    description: 'Read-only: accepted only unchanged',
  })
  @Allow()
  user_email?: unknown;

  @ApiPropertyOptional({ type: String, readOnly: true, description: 'Read-only: accepted only unchanged' })
  @Allow()
  currency?: unknown;

  @ApiPropertyOptional({ type: String, readOnly: true, description: 'Read-only: accepted only unchanged' })
  @Allow()
  created_date?: unknown;

  @ApiPropertyOptional({ type: String, readOnly: true, description: 'Read-only: accepted only unchanged' })
  @Allow()
  modified_date?: unknown;
}

export class LoyaltyAccountResponseDto {
  @ApiProperty({ example: 34 }) pk!: number;
  @ApiProperty({ example: 'e74496da-c3e7-4a91-b382-514f638d2141' }) number!: string;
  @ApiProperty({ type: String, nullable: true, example: 'john.doe@akinon.com' }) user_email!: string | null;
  @ApiProperty({ example: '100.00' }) balance!: string;
  @ApiProperty({ example: true }) debit_allowed!: boolean;
  @ApiProperty({ format: 'date-time', example: '2023-10-24T10:57:04.761432Z' }) created_date!: string;
  @ApiProperty({ format: 'date-time', example: '2023-10-24T10:57:04.761461Z' }) modified_date!: string;
  @ApiProperty({ type: Number, nullable: true, example: 414185 }) user!: number | null;
  @ApiProperty({ example: 'eur' }) currency!: string;
}
