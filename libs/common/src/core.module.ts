import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { Clock, SystemClock } from './clock/clock';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { ErrorRenderer } from './errors/error-renderer';
import { HealthController } from './health/health.controller';
import { TranslatorModule } from './i18n/translator';
import { loggerParams } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { RedisModule } from './redis/redis.module';

export interface CoreOverrides {
  clock?: Clock;
  logStream?: DestinationStream;
}

/**
 * What every app has: logging, translations, the error filter, the clock, health and metrics.
 * The app name labels the log lines.
 */
@Module({})
export class CoreModule {
  /** Tests pass a ManualClock as `clock`, and a stream to read the log lines from as `logStream`. */
  static forApp(app: string, overrides: CoreOverrides = {}) {
    const { clock, logStream } = overrides;
    return {
      module: CoreModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => loggerParams(config, app, logStream),
        }),
        TranslatorModule,
        RedisModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ErrorRenderer,
        MetricsService,
        clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [ErrorRenderer, MetricsService, Clock],
    };
  }
}
