import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { safeError, statementShape } from '@app/common';

/**
 * TypeORM's log through the app's logger, with nothing of a query's data: a failed query is logged by its
 * statement's shape (the SQL text with its placeholders) and the error's code and constraint, never its parameters
 * (a registration's password hash and e-mail) nor PostgreSQL's detail (`Failing row contains (...)`, a whole user
 * row). TypeORM's own console loggers print both. The error itself is logged again, with the request id, where it
 * is handled.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  /** `verbose` (DATABASE_LOGGING) also logs TypeORM's own notes (entity globs, schema steps). */
  constructor(private readonly verbose = false) {}

  logQuery(): void {
    // Successful queries are not logged: at request rates the log would be the queries.
  }

  logQueryError(error: string | Error, query: string): void {
    // Made safe here, not only by the app logger's serializer: without an app (the migration CLI) Nest's console
    // logger prints the object as it is.
    this.logger.warn({ statement: statementShape(query), err: safeError(error) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ statement: statementShape(query), ms: time }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    if (this.verbose) this.logger.debug(message);
  }

  /** The migrations applied are logged by the database module, in one line. */
  logMigration(message: string): void {
    if (this.verbose) this.logger.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const safe = typeof message === 'string' ? message : { note: safeError(message) };
    if (level === 'warn') this.logger.warn(safe);
    else if (this.verbose) this.logger.debug(safe);
  }
}
