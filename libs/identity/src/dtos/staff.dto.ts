import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { message } from '@app/common';
import { PASSWORD_LENGTH_MAX } from '../services/password-hasher';

export const STAFF_USERNAME_LENGTH_MAX = 150;

export class StaffLoginDto {
  @ApiProperty({ example: 'admin', maxLength: STAFF_USERNAME_LENGTH_MAX })
  @IsString()
  @MaxLength(STAFF_USERNAME_LENGTH_MAX, {
    message: message('validation.max_length', { max: STAFF_USERNAME_LENGTH_MAX }),
  })
  username!: string;

  @ApiProperty({ example: 'correct horse battery', maxLength: PASSWORD_LENGTH_MAX, format: 'password' })
  @IsString()
  @MaxLength(PASSWORD_LENGTH_MAX, { message: message('validation.max_length', { max: PASSWORD_LENGTH_MAX }) })
  password!: string;
}

export class StaffTokenResponseDto {
  @ApiProperty({ description: 'Send as `Authorization: Token <key>`', example: '9f86d081884c7d659a2feaa0c55ad015...' })
  key!: string;
}

export class StaffLogoutResponseDto {
  @ApiProperty({ example: true })
  revoked!: boolean;
}
