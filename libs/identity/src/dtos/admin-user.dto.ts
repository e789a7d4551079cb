import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { message, PageQueryDto, INT4_MAX } from '@app/common';
import { EMAIL_LENGTH_MAX } from './user.dto';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** `GET /api/v1/remote/{channel_id}/users/` filters. */
export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Exact e-mail, without case', example: 'john.doe@example.com' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(EMAIL_LENGTH_MAX, { message: message('validation.max_length', { max: EMAIL_LENGTH_MAX }) })
  email?: string;

  @ApiPropertyOptional({ description: 'Part of the e-mail, without case (for search boxes)', example: 'john' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(EMAIL_LENGTH_MAX, { message: message('validation.max_length', { max: EMAIL_LENGTH_MAX }) })
  email__icontains?: string;

  @ApiPropertyOptional({ description: 'User id', example: 92 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1, { message: message('validation.min', { min: 1 }) })
  @Max(INT4_MAX, { message: message('validation.max', { max: INT4_MAX }) })
  pk?: number;
}
