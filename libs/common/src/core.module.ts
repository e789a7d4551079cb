import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DestinationStream, Logger } from 'pino';
import { Clock, SystemClock } from './clock/clock';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { EdgeErrors } from './errors/domain-error';
import { ErrorRenderer } from './errors/error-renderer';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { ShutdownState } from './http/shutdown-state';
import { TranslatorModule } from './i18n/translator';
import { AppLogger, createAppLogger, PINO_LOGGER } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { FaultPoints, NoFaults } from './faults/fault-points';
import { RedisModule } from './redis/redis.module';

export interface CoreOverrides {
  clock?: Clock;
  logStream?: DestinationStream;
  /** Tests only: where multi-step work stops as if the process died (see FaultPoints). */
  faults?: FaultPoints;
}

/**
 * What every app has: logging, translations, the error filter, the clock, health and metrics.
 * The app name labels the log lines.
 */
@Module({})
export class CoreModule {
  /**
   * `edgeErrors` is the app's table of how it answers the libs' domain errors. Tests pass a ManualClock as `clock`,
   * and a stream to read the log lines from as `logStream`.
   */
  static forApp(app: string, overrides: CoreOverrides = {}, edgeErrors: EdgeErrors = new EdgeErrors([])) {
    const { clock, logStream, faults } = overrides;
    return {
      module: CoreModule,
      global: true,
      imports: [TranslatorModule, RedisModule],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: PINO_LOGGER,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => createAppLogger(config, app, logStream),
        },
        { provide: AppLogger, inject: [PINO_LOGGER], useFactory: (logger: Logger) => new AppLogger(logger) },
        { provide: EdgeErrors, useValue: edgeErrors },
        ErrorRenderer,
        MetricsService,
        ShutdownState,
        ReadinessService,
        clock ? { provide: Clock, useValue: clock } : { provide: Clock, useClass: SystemClock },
        { provide: FaultPoints, useValue: faults ?? new NoFaults() },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [PINO_LOGGER, AppLogger, EdgeErrors, ErrorRenderer, MetricsService, ShutdownState, Clock, FaultPoints],
    };
  }
}
