import { QueryFailedError } from 'typeorm';
import { dependencyFailureOf } from './dependency-failure';

function pgError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

describe(dependencyFailureOf.name, () => {
  it('names PostgreSQL for timeouts, lost connections, restarts and an exhausted pool', () => {
    const timeout = new QueryFailedError(
      'SELECT 1',
      [],
      pgError('57014', 'canceling statement due to statement timeout'),
    );
    expect(dependencyFailureOf(timeout)).toBe('database');
    const terminated = new QueryFailedError(
      'SELECT 1',
      [],
      pgError('57P01', 'terminating connection due to administrator command'),
    );
    expect(dependencyFailureOf(terminated)).toBe('database');
    expect(dependencyFailureOf(new Error('Connection terminated unexpectedly'))).toBe('database');
    expect(dependencyFailureOf(new Error('timeout exceeded when trying to connect'))).toBe('database');
    expect(dependencyFailureOf(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe('database');
    expect(dependencyFailureOf(pgError('08006', 'connection failure'))).toBe('database');
  });

  it('names Redis for ioredis giving up', () => {
    const gaveUp = Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(dependencyFailureOf(gaveUp)).toBe('redis');
    expect(dependencyFailureOf(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(
      'redis',
    );
  });

  it('leaves bugs and data errors alone: they stay 500s or the 4xx they are', () => {
    expect(dependencyFailureOf(new TypeError('x is undefined'))).toBeUndefined();
    const unique = new QueryFailedError(
      'INSERT',
      [],
      pgError('23505', 'duplicate key value violates unique constraint'),
    );
    expect(dependencyFailureOf(unique)).toBeUndefined();
    expect(dependencyFailureOf(undefined)).toBeUndefined();
    expect(dependencyFailureOf('a string')).toBeUndefined();
  });
});
