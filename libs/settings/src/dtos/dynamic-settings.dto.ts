import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class DynamicSettingsPatchDto {
  @ApiPropertyOptional({ description: 'Whether checkout may pay orders from store credit' })
  @IsOptional()
  @IsBoolean()
  LOYALTY_MONEY_ENABLED?: boolean;

  @ApiPropertyOptional({ description: 'Whether enrolling a loyalty card needs an SMS code (default true)' })
  @IsOptional()
  @IsBoolean()
  VERIFY_SMS?: boolean;
}
