import { Body, Controller, Get, type DynamicModule, Module, Post } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import {
  type AppConfig,
  ConfigModule,
  CoreModule,
  message,
  NotFoundError,
  parseAmount,
  ValidationFailedError,
} from '@app/common';
import { DatabaseModule } from '@app/database';

class ProbeDto {
  @IsString()
  @MaxLength(5, { message: message('validation.max_length', { max: 5 }) })
  name!: string;

  @IsOptional()
  amount?: unknown;
}

/** A test-only controller on the shared HTTP stack: it echoes bodies and throws on request. */
@Controller('probe')
class ProbeController {
  @Post()
  echo(@Body() body: ProbeDto): { body: ProbeDto; amount_minor: string | null } {
    if (body.amount === undefined) return { body, amount_minor: null };
    const parsed = parseAmount(body.amount);
    if (!parsed.ok)
      throw ValidationFailedError.forField(
        'amount',
        `validation.amount_${parsed.problem === 'decimals' ? 'decimals' : 'invalid'}`,
      );
    return { body, amount_minor: parsed.minor.toString() };
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundError();
  }

  @Get('crash')
  crash(): never {
    throw new Error('secret internal detail: connection string postgres://user:pw@db');
  }
}

@Module({})
export class ProbeRootModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProbeRootModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, CoreModule.forApp('probe')],
      controllers: [ProbeController],
    };
  }
}
