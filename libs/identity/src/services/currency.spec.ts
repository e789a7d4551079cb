import type { Channel } from './channel.service';
import { resolveCurrency } from './currency';

const channel: Channel = {
  id: 1,
  name: 'c',
  defaultCurrency: 'try',
  currencies: ['try', 'usd', 'eur'],
  defaultLanguage: 'tr',
};

describe('resolveCurrency', () => {
  it('prefers the header, then the cookie, then the session', () => {
    expect(resolveCurrency(channel, 'usd', 'eur', 'try')).toBe('usd');
    expect(resolveCurrency(channel, undefined, 'EUR', 'usd')).toBe('eur');
    expect(resolveCurrency(channel, undefined, undefined, 'usd')).toBe('usd');
  });

  it('falls back past unknown codes and the literal undefined to the channel default', () => {
    expect(resolveCurrency(channel, 'undefined', 'gbp', undefined)).toBe('try');
    expect(resolveCurrency(channel, 'xxx', 'undefined', 'usd')).toBe('usd');
    expect(resolveCurrency(channel, undefined, undefined, undefined)).toBe('try');
  });
});
