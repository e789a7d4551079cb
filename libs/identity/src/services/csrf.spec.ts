import { csrfPasses, newCsrfToken } from './csrf';

describe('csrfPasses', () => {
  const token = newCsrfToken();

  it('passes when the header or the form field equals the cookie', () => {
    expect(csrfPasses(token, token, undefined)).toBe(true);
    expect(csrfPasses(token, undefined, token)).toBe(true);
  });

  it('fails without the cookie, without the submitted copy, or when they differ', () => {
    expect(csrfPasses(undefined, token, undefined)).toBe(false);
    expect(csrfPasses(token, undefined, undefined)).toBe(false);
    expect(csrfPasses(token, newCsrfToken(), undefined)).toBe(false);
    expect(csrfPasses('short', 'short', undefined)).toBe(false);
    expect(csrfPasses(token, undefined, [token])).toBe(false);
  });
});
