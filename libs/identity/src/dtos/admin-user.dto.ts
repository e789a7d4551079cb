import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPk, message, PageQueryDto } from '@app/common';
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
  @IsPk({ text: 'number', firstCheck: 'maximum' })
  pk?: number;
}
