import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, type Clock, ConfigModule, CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { IdentityOmnitronModule } from '@app/identity';
import { StaffAuthController } from './identity/staff-auth.controller';
import { UsersController } from './identity/users.controller';

export interface AppOverrides {
  /** Tests pass a ManualClock. */
  clock?: Clock;
}

@Module({})
export class OmnitronModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: OmnitronModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CoreModule.forApp('omnitron', overrides.clock),
        IdentityOmnitronModule,
      ],
      controllers: [StaffAuthController, UsersController],
    };
  }
}
