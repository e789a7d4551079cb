import { isOrderNumber, newOrderNumber } from './order-number';

describe(newOrderNumber.name, () => {
  it('draws 16 digits without a leading zero, and does not repeat itself', () => {
    const numbers = Array.from({ length: 2_000 }, newOrderNumber);
    for (const number of numbers) expect(number).toMatch(/^[1-9]\d{15}$/);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('tells order numbers from other text', () => {
    expect(isOrderNumber('1234567890123456')).toBe(true);
    expect(isOrderNumber('0234567890123456')).toBe(false);
    expect(isOrderNumber('123456789012345')).toBe(false);
    expect(isOrderNumber('12345678901234567')).toBe(false);
    expect(isOrderNumber('12345678901234a6')).toBe(false);
  });
});
