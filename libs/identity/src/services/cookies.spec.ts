import { parseCookies } from './cookies';

describe('parseCookies', () => {
  it('reads the names and values of a Cookie header, first one winning', () => {
    expect(parseCookies('osessionid=abc; csrftoken=x%20y; osessionid=zzz; pz-currency="usd"; bad')).toEqual({
      osessionid: 'abc',
      csrftoken: 'x y',
      'pz-currency': 'usd',
    });
  });

  it('answers nothing for no header', () => {
    expect(parseCookies(undefined)).toEqual({});
  });
});
