import { safeError, safeMessage, safeUrl, statementShape } from './log-safety';

describe('log safety', () => {
  it('masks the thank-you token in a path and query values not known to be harmless', () => {
    expect(safeUrl('/orders/completed/0123abcd/?token=0123abcd&page=2')).toBe(
      '/orders/completed/[redacted]/?token=[redacted]&page=2',
    );
    expect(safeUrl('/api/v1/remote/1/loyalty_account/?user_email=a%40b.com&currency=try&flag')).toBe(
      '/api/v1/remote/1/loyalty_account/?user_email=[redacted]&currency=try&flag',
    );
    expect(safeUrl('/health/')).toBe('/health/');
  });

  it('removes the values PostgreSQL quotes in its messages, and e-mail addresses', () => {
    expect(safeMessage('invalid input syntax for type integer: "05321234567"')).toBe(
      'invalid input syntax for type integer: "[redacted]"',
    );
    expect(safeMessage('Key (email_lower)=(jane@example.com) already exists.')).toBe(
      'Key (email_lower)=([redacted]) already exists.',
    );
    expect(safeMessage('no user jane.doe+x@example.com here')).toBe('no user [redacted] here');
    expect(safeMessage('Failing row contains (1, jane, scrypt$abc).')).toBe('Failing row contains [redacted]');
  });

  it("keeps a database error's code, constraint and statement shape, never its parameters or detail", () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "uq_users_email"'), {
      name: 'QueryFailedError',
      code: '23505',
      constraint: 'uq_users_email',
      detail: 'Key (email_lower)=(jane@example.com) already exists.',
      parameters: ['jane@example.com', 'scrypt$16384$secret'],
      query: 'INSERT INTO users (email, password_hash)\n   VALUES ($1, $2)',
      driverError: { code: '23505', detail: 'Failing row contains (jane@example.com)', message: 'x' },
    });
    const safe = safeError(error) as Record<string, unknown>;
    expect(safe).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'uq_users_email',
      statement: 'INSERT INTO users (email, password_hash) VALUES ($1, $2)',
      driverError: { code: '23505', message: 'x' },
    });
    const text = JSON.stringify(safe);
    expect(text).not.toMatch(/jane|scrypt|Failing row/);
    expect(safeError('connect ECONNREFUSED: "secret"')).toBe('connect ECONNREFUSED: "[redacted]"');
    expect(statementShape('x'.repeat(400))).toHaveLength(301);
  });
});
