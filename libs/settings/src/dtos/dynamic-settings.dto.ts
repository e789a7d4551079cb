import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsOptional } from 'class-validator';

export class DynamicSettingsPatchDto {
  @ApiPropertyOptional({ description: 'Whether checkout may pay orders from store credit', example: true })
  @IsOptional()
  @IsBoolean()
  LOYALTY_MONEY_ENABLED?: boolean;

  @ApiPropertyOptional({ description: 'Whether enrolling a loyalty card needs an SMS code (default true)' })
  @IsOptional()
  @IsBoolean()
  VERIFY_SMS?: boolean;

  @ApiPropertyOptional({
    description:
      'Percent (0-100, two decimals) of an order’s card-paid amount credited as store credit on completion; 0 = off',
    example: '2.50',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  // Checked by the settings service (a string or a number, 0-100, two decimals), which names the field on error.
  @Allow()
  LOYALTY_EARNING_RATE?: unknown;
}

/** Every dynamic setting of the channel, defaults filled in. */
export class DynamicSettingsResponseDto {
  @ApiProperty({ example: false, description: 'Whether checkout may pay orders from store credit' })
  LOYALTY_MONEY_ENABLED!: boolean;

  @ApiProperty({ example: true, description: 'Whether enrolling a loyalty card needs an SMS code' })
  VERIFY_SMS!: boolean;

  @ApiProperty({ example: '0.00', description: 'Percent of the card-paid amount earned as store credit; "0.00" = off' })
  LOYALTY_EARNING_RATE!: string;
}
