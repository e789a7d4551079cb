import { OrderTokens } from '@app/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('order tokens across instances', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp('storefront');
    second = await startTestApp('storefront', { databaseUrl: first.config.databaseUrl });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('are signed with one shared key when ORDER_TOKEN_SECRET is unset, so any instance verifies them', () => {
    const token = first.app.get(OrderTokens).sign(1, '1234567890123456');
    expect(second.app.get(OrderTokens).verify(1, token)).toBe('1234567890123456');
    expect(second.app.get(OrderTokens).verify(2, token)).toBeNull();
  });
});
