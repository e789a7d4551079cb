import {
  cardTypeOf,
  cvvValid,
  expiryValid,
  installmentPrice,
  luhnValid,
  parseInterestPercents,
  percentOf,
  percentOfRoundedDown,
} from './card-rules';

describe('card rules', () => {
  describe('luhnValid', () => {
    it('accepts the documented test cards', () => {
      for (const n of ['4242424242424242', '4000000000000002', '5555555555554444', '378282246310005']) {
        expect(luhnValid(n)).toBe(true);
      }
    });

    it('refuses a changed digit, letters, and numbers of the wrong length', () => {
      expect(luhnValid('4242424242424241')).toBe(false);
      expect(luhnValid('4242 4242 4242 4242')).toBe(false);
      expect(luhnValid('42424242424')).toBe(false);
      expect(luhnValid('42424242424242424242')).toBe(false);
      expect(luhnValid('')).toBe(false);
    });
  });

  it('tells the card type by BIN', () => {
    expect(cardTypeOf('424242')).toBe('visa');
    expect(cardTypeOf('555555')).toBe('mastercard');
    expect(cardTypeOf('222100')).toBe('mastercard');
    expect(cardTypeOf('272099')).toBe('mastercard');
    expect(cardTypeOf('272100')).toBeUndefined();
    expect(cardTypeOf('378282')).toBe('amex');
    expect(cardTypeOf('979200')).toBe('troy');
    expect(cardTypeOf('601100')).toBeUndefined();
    expect(cardTypeOf('4242')).toBeUndefined();
  });

  it('wants 4 CVV digits for Amex and 3 for the others', () => {
    expect(cvvValid('123', 'visa')).toBe(true);
    expect(cvvValid('1234', 'visa')).toBe(false);
    expect(cvvValid('1234', 'amex')).toBe(true);
    expect(cvvValid('123', 'amex')).toBe(false);
    expect(cvvValid('12a', 'mastercard')).toBe(false);
  });

  it('keeps a card good through the last day of its expiry month', () => {
    const now = new Date('2026-11-30T23:59:59Z');
    expect(expiryValid('11', '2026', now)).toBe(true);
    expect(expiryValid('11', '26', now)).toBe(true);
    expect(expiryValid('10', '2026', now)).toBe(false);
    expect(expiryValid('12', '2025', now)).toBe(false);
    expect(expiryValid('1', '2027', now)).toBe(true);
    expect(expiryValid('13', '2027', now)).toBe(false);
    expect(expiryValid('00', '2027', now)).toBe(false);
    expect(expiryValid('12', '2047', now)).toBe(false);
    expect(expiryValid('12', '207', now)).toBe(false);
  });

  it('parses the interest list into basis points and refuses malformed ones', () => {
    expect(parseInterestPercents('0,3,6')).toEqual(
      new Map([
        [1, 0n],
        [3, 300n],
        [6, 600n],
      ]),
    );
    expect(parseInterestPercents(' 0 , 2.5 , 4.75 ')?.get(6)).toBe(475n);
    for (const bad of ['0,3', '0,3,6,9', '0,-3,6', '0,3.333,6', '0,abc,6', '0,101,6', '']) {
      expect(parseInterestPercents(bad)).toBeUndefined();
    }
  });

  it('rounds interest half up and earning down, exactly', () => {
    expect(percentOf(3000n, 300n)).toBe(90n);
    expect(percentOf(1n, 5000n)).toBe(1n);
    expect(percentOf(1n, 4999n)).toBe(0n);
    expect(percentOf(3333n, 300n)).toBe(100n); // 99.99 -> 100
    expect(percentOfRoundedDown(3333n, 300n)).toBe(99n);
    expect(percentOfRoundedDown(999_999_999_999_999n, 10_000n)).toBe(999_999_999_999_999n);
  });

  it('prices an installment plan: total with interest and a monthly share', () => {
    expect(installmentPrice(3000n, 3, 300n)).toEqual({ count: 3, interest: 90n, total: 3090n, monthly: 1030n });
    expect(installmentPrice(1000n, 6, 600n)).toEqual({ count: 6, interest: 60n, total: 1060n, monthly: 177n });
    expect(installmentPrice(1000n, 1, 0n)).toEqual({ count: 1, interest: 0n, total: 1000n, monthly: 1000n });
  });
});
