import { AppConfig } from '@app/common';
import { OrderTokens } from './order-token';

const config = (secret?: string) => ({ env: secret === undefined ? {} : { ORDER_TOKEN_SECRET: secret } }) as AppConfig;

describe(OrderTokens.name, () => {
  const number = '1234567890123456';

  it('signs an order number so that only the same key and channel verify it', () => {
    const tokens = new OrderTokens(config('k'.repeat(32)), undefined);
    const token = tokens.sign(1, number);
    expect(token).toMatch(/^1234567890123456-[0-9a-f]{64}$/);
    expect(tokens.verify(1, token)).toBe(number);
    expect(tokens.verify(2, token)).toBeNull();
    expect(new OrderTokens(config('k'.repeat(32)), undefined).verify(1, token)).toBe(number);
    expect(new OrderTokens(config('x'.repeat(32)), undefined).verify(1, token)).toBeNull();
  });

  it('refuses forged, malformed and overlong tokens', () => {
    const tokens = new OrderTokens(config('k'.repeat(32)), undefined);
    const token = tokens.sign(1, number);
    expect(tokens.verify(1, `1234567890123457-${token.split('-')[1]}`)).toBeNull();
    expect(tokens.verify(1, `${number}-${'0'.repeat(64)}`)).toBeNull();
    expect(tokens.verify(1, `${token}-x`)).toBeNull();
    expect(tokens.verify(1, number)).toBeNull();
    expect(tokens.verify(1, 'x'.repeat(500))).toBeNull();
    // A short secret is not used: without a database to keep a shared key, signing then fails loudly.
    expect(() => new OrderTokens(config('short'), undefined).sign(1, number)).toThrow('not loaded');
  });
});
