import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { message, PageQueryDto } from '@app/common';

/** The most points staff may set on a demo account: far above any real balance, far below integer overflow. */
export const POINTS_MAX = 1_000_000_000;

export class SmsMessageResponseDto {
  @ApiProperty({ example: 12 }) pk!: number;
  @ApiProperty({ example: '+966123457799' }) phone!: string;
  @ApiProperty({ example: 'Your loyalty card verification code: 4821' }) body!: string;
  @ApiProperty({ format: 'date-time' }) created_date!: string;
}

export class LocalAccountQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'E-mail, exact (case-insensitive)', example: 'john.doe@example.com' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(254, { message: message('validation.max_length', { max: 254 }) })
  email?: string;
}

export class LocalAccountResponseDto {
  @ApiProperty({ example: '3839200' }) account_number!: string;
  @ApiProperty({ example: 'john.doe@example.com' }) email!: string;
  @ApiProperty({ example: '+966123457799' }) phone!: string;
  @ApiProperty({ example: 'John' }) first_name!: string;
  @ApiProperty({ example: 'Doe' }) last_name!: string;
  @ApiProperty({ example: 150 }) points!: number;
  @ApiProperty({ example: true }) active!: boolean;
}

export class LocalAccountPointsDto {
  @ApiProperty({ example: 150, minimum: 0, maximum: POINTS_MAX })
  @Type(() => Number)
  @IsInt({ message: message('validation.not_integer') })
  @Min(0, { message: message('validation.min', { min: 0 }) })
  @Max(POINTS_MAX, { message: message('validation.max', { max: POINTS_MAX }) })
  points!: number;
}
