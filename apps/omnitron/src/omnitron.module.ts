import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule, CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';

@Module({})
export class OmnitronModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: OmnitronModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, CoreModule.forApp('omnitron')],
    };
  }
}
