import { int8ToNumber, PG_TYPES } from './int8';

describe('int8 as the app reads it', () => {
  const parse = PG_TYPES.getTypeParser(20) as (text: string) => number;
  const parseArray = PG_TYPES.getTypeParser(1016) as (text: string) => (number | null)[];

  it('is an exact number below 2^53', () => {
    expect(parse('0')).toBe(0);
    expect(parse('2147483648')).toBe(2_147_483_648);
    expect(parse('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseArray('{1,2147483649,NULL}')).toEqual([1, 2_147_483_649, null]);
  });

  it('refuses a value it could not hold exactly, rather than rounding an id', () => {
    expect(() => int8ToNumber('9007199254740993')).toThrow(RangeError);
    expect(() => parseArray('{9007199254740993}')).toThrow(RangeError);
  });

  it('leaves every other type to pg', () => {
    expect((PG_TYPES.getTypeParser(23) as (text: string) => unknown)('7')).toBe(7); // int4
    expect((PG_TYPES.getTypeParser(1700) as (text: string) => unknown)('1.10')).toBe('1.10'); // numeric stays text
  });
});
