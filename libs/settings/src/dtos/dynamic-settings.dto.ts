import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class DynamicSettingsPatchDto {
  @ApiPropertyOptional({ description: 'Whether checkout may pay orders from store credit', example: true })
  @IsOptional()
  @IsBoolean()
  LOYALTY_MONEY_ENABLED?: boolean;

  @ApiPropertyOptional({ description: 'Whether enrolling a loyalty card needs an SMS code (default true)' })
  @IsOptional()
  @IsBoolean()
  VERIFY_SMS?: boolean;
}

/** Every dynamic setting of the channel, defaults filled in. */
export class DynamicSettingsResponseDto {
  @ApiProperty({ example: false, description: 'Whether checkout may pay orders from store credit' })
  LOYALTY_MONEY_ENABLED!: boolean;

  @ApiProperty({ example: true, description: 'Whether enrolling a loyalty card needs an SMS code' })
  VERIFY_SMS!: boolean;
}
