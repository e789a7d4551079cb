import { AMOUNT_MAX_MINOR, amountToNumber, formatAmount, minorFromDecimalText, parseAmount } from './money';

describe('parseAmount', () => {
  it.each([
    ['20', 2000n],
    ['20.5', 2050n],
    ['20.00', 2000n],
    [20, 2000n],
    [20.5, 2050n],
    [0.1, 10n],
    ['-14.00', -1400n],
    [' 7.01 ', 701n],
  ])('reads %p as %p cents', (input, expected) => {
    expect(parseAmount(input)).toEqual({ ok: true, minor: expected });
  });

  it.each([
    ['1e3'],
    [1e21],
    ['NaN'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['abc'],
    [''],
    ['1,000.00'],
    [null],
    [true],
    [{}],
  ])('refuses %p as invalid or too large', (input) => {
    const result = parseAmount(input);
    expect(result.ok).toBe(false);
  });

  it('refuses three decimals with a message about decimals', () => {
    expect(parseAmount('1.005')).toEqual({ ok: false, problem: 'decimals' });
    expect(parseAmount(1.005)).toEqual({ ok: false, problem: 'decimals' });
  });

  it('refuses 10^15 as too large', () => {
    expect(parseAmount('1000000000000000')).toEqual({ ok: false, problem: 'too_large' });
    expect(parseAmount(10 ** 15)).toEqual({ ok: false, problem: 'too_large' });
  });

  it('accepts the largest amount and nothing above it', () => {
    expect(parseAmount(formatAmount(AMOUNT_MAX_MINOR))).toEqual({ ok: true, minor: AMOUNT_MAX_MINOR });
    expect(parseAmount(formatAmount(AMOUNT_MAX_MINOR + 1n)).ok).toBe(false);
  });
});

describe('formatAmount', () => {
  it('writes two decimals and a sign', () => {
    expect(formatAmount(0n)).toBe('0.00');
    expect(formatAmount(5n)).toBe('0.05');
    expect(formatAmount(-1400n)).toBe('-14.00');
    expect(formatAmount(123456789012n)).toBe('1234567890.12');
  });

  it('round-trips through parseAmount and the database text form', () => {
    for (const minor of [0n, 1n, -1n, 99n, 100n, 2050n, -987654321n]) {
      expect(minorFromDecimalText(formatAmount(minor))).toBe(minor);
    }
  });

  it('gives the JSON number form without float arithmetic drift', () => {
    expect(amountToNumber(5050n)).toBe(50.5);
    expect(amountToNumber(30n)).toBe(0.3);
  });
});

describe('minorFromDecimalText', () => {
  it('reads any amount the database holds, far past what a client may send', () => {
    expect(minorFromDecimalText('999999999999999999.99')).toBe(99_999_999_999_999_999_999n);
    expect(minorFromDecimalText('-123456789012345678901234.5')).toBe(-12_345_678_901_234_567_890_123_450n);
    expect(minorFromDecimalText(formatAmount(AMOUNT_MAX_MINOR + 1n))).toBe(AMOUNT_MAX_MINOR + 1n);
  });

  it('refuses text that is no decimal at all', () => {
    expect(() => minorFromDecimalText('1e5')).toThrow();
    expect(() => minorFromDecimalText('1.234')).toThrow();
  });
});
