import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule, CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';

@Module({})
export class StorefrontModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorefrontModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, CoreModule.forApp('storefront')],
    };
  }
}
