import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { type FieldErrors, ValidationFailedError } from '../errors/app-error';
import { createValidationPipe } from './validation';
import { IsAmount, IsCurrencyCode, IsPhone, IsPk, PK_MAX } from './value-validators';

/*
 * Through the apps' one validation pipe, as a request meets them: what a field becomes, or the message key (and
 * arguments) the client gets for it.
 */
const pipe = createValidationPipe();

type Outcome = { value: unknown } | { error: unknown };

async function check(metatype: new () => object, field: string, input: unknown): Promise<Outcome> {
  const body = input === undefined ? {} : { [field]: input };
  try {
    const dto = (await pipe.transform(body, { type: 'body', metatype })) as Record<string, unknown>;
    return { value: dto[field] };
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    const fields: FieldErrors = error.fieldErrors;
    return { error: fields[field]?.[0] };
  }
}

const ok = (value: unknown) => ({ value });
const refused = (key: string, args?: Record<string, unknown>) => ({ error: args ? { key, args } : { key } });
const NOT_INTEGER = refused('validation.not_integer');
const BELOW_MIN = refused('validation.min', { min: 1 });
const ABOVE_MAX = refused('validation.max', { max: 2_147_483_647 });

class NumberPk {
  @IsPk({ text: 'number' }) pk!: number;
}
class IntegerPk {
  @IsPk({ text: 'integer' }) pk!: number;
}
/** As the address form's optional places: documented nullable, so null (and "") is no choice. */
class ChoicePk {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsPk({ text: 'choice', message: 'geography.choice_invalid' })
  pk?: number | null;
}
class MaximumFirstPk {
  @IsPk({ text: 'number', firstCheck: 'maximum' }) pk!: number;
}
class MinimumFirstPk {
  @IsPk({ text: 'integer', firstCheck: 'minimum' }) pk!: number;
}

describe(IsPk.name, () => {
  it('is bounded by the int4 column', () => {
    expect(PK_MAX).toBe(2_147_483_647);
  });

  describe("text: 'number' (query filters)", () => {
    it.each([
      [1, ok(1)],
      ['1', ok(1)],
      ['12', ok(12)],
      [' 12 ', ok(12)],
      [2_147_483_647, ok(2_147_483_647)],
      ['2147483647', ok(2_147_483_647)],
      // Number() reads these too; kept as the query filters always read them.
      ['1e3', ok(1000)],
      ['0x10', ok(16)],
    ])('accepts %p as %p', async (input, outcome) => {
      expect(await check(NumberPk, 'pk', input)).toEqual(outcome);
    });

    it.each([
      [0, BELOW_MIN],
      ['0', BELOW_MIN],
      ['-1', BELOW_MIN],
      ['', BELOW_MIN],
      [2_147_483_648, ABOVE_MAX],
      ['2147483648', ABOVE_MAX],
      [1.5, NOT_INTEGER],
      ['1.5', NOT_INTEGER],
      ['abc', NOT_INTEGER],
      [null, refused('validation.required')],
      [undefined, refused('validation.required')],
    ])('refuses %p with %p', async (input, outcome) => {
      expect(await check(NumberPk, 'pk', input)).toEqual(outcome);
    });
  });

  describe("text: 'integer' (form-encoded bodies)", () => {
    it.each([
      ['12', ok(12)],
      [' 12 ', ok(12)],
      [12, ok(12)],
      ['2147483647', ok(2_147_483_647)],
    ])('accepts %p as %p', async (input, outcome) => {
      expect(await check(IntegerPk, 'pk', input)).toEqual(outcome);
    });

    it.each([
      ['1e3', NOT_INTEGER],
      ['0x10', NOT_INTEGER],
      ['', NOT_INTEGER],
      [true, NOT_INTEGER],
      ['0', BELOW_MIN],
      ['-1', BELOW_MIN],
      ['2147483648', ABOVE_MAX],
      [2_147_483_648, ABOVE_MAX],
    ])('refuses %p with %p', async (input, outcome) => {
      expect(await check(IntegerPk, 'pk', input)).toEqual(outcome);
    });
  });

  describe("text: 'choice' (the address form), one message", () => {
    const CHOICE_INVALID = refused('geography.choice_invalid');

    it.each([
      ['12', ok(12)],
      [' 12 ', ok(12)],
      [7, ok(7)],
      ['2147483647', ok(2_147_483_647)],
      ['', ok(null)],
      [null, ok(null)],
    ])('accepts %p as %p', async (input, outcome) => {
      expect(await check(ChoicePk, 'pk', input)).toEqual(outcome);
    });

    it.each([['0'], [0], ['-1'], ['1e3'], ['1.5'], ['2147483648'], [2_147_483_648], ['abc'], [true]])(
      'refuses %p as not a choice',
      async (input) => {
        expect(await check(ChoicePk, 'pk', input)).toEqual(CHOICE_INVALID);
      },
    );
  });

  describe('firstCheck: which message a value failing several checks gets', () => {
    it.each([
      [NumberPk, NOT_INTEGER],
      [MaximumFirstPk, ABOVE_MAX],
      [MinimumFirstPk, BELOW_MIN],
    ])('%p answers "abc" with %p', async (metatype, outcome) => {
      expect(await check(metatype, 'pk', 'abc')).toEqual(outcome);
    });

    it.each([[NumberPk], [MaximumFirstPk], [MinimumFirstPk]])('%p keeps the same bounds', async (metatype) => {
      expect(await check(metatype, 'pk', 1)).toEqual(ok(1));
      expect(await check(metatype, 'pk', 2_147_483_647)).toEqual(ok(2_147_483_647));
      expect(await check(metatype, 'pk', 0)).toEqual(BELOW_MIN);
      expect(await check(metatype, 'pk', 2_147_483_648)).toEqual(ABOVE_MAX);
    });
  });

  it('documents the bounds, except for a choice (a string in the schema)', () => {
    const documented = (metatype: new () => object) =>
      Reflect.getMetadata('swagger/apiModelProperties', metatype.prototype as object, 'pk') as Record<string, unknown>;
    expect(documented(NumberPk)).toMatchObject({ minimum: 1, maximum: 2_147_483_647 });
    expect(documented(ChoicePk)?.minimum).toBeUndefined();
  });
});

class PositiveAmount {
  @IsAmount() amount!: string;
}
class AnyAmount {
  @IsAmount({ allowNonPositive: true }) amount!: string;
}

describe(IsAmount.name, () => {
  it.each([['20'], [20], ['20.5'], ['20.50'], [0.01], ['0.01'], ['999999999999.99']])(
    'accepts the positive amount %p',
    async (input) => {
      expect(await check(PositiveAmount, 'amount', input)).toEqual(ok(input));
    },
  );

  it.each([
    ['0', refused('validation.amount_not_positive')],
    [0, refused('validation.amount_not_positive')],
    ['-1', refused('validation.amount_not_positive')],
    ['1.001', refused('validation.amount_decimals')],
    ['1e3', refused('validation.amount_invalid')],
    ['twenty', refused('validation.amount_invalid')],
    [true, refused('validation.amount_invalid')],
    ['1000000000000.00', refused('validation.amount_too_large', { max: '999999999999.99' })],
    [null, refused('validation.required')],
  ])('refuses %p with %p', async (input, outcome) => {
    expect(await check(PositiveAmount, 'amount', input)).toEqual(outcome);
  });

  it.each([['0'], ['0.00'], ['-5'], ['-5.25'], [0]])('allowNonPositive accepts %p', async (input) => {
    expect(await check(AnyAmount, 'amount', input)).toEqual(ok(input));
  });

  it('allowNonPositive still refuses more than two decimals and the maximum', async () => {
    expect(await check(AnyAmount, 'amount', '-0.001')).toEqual(refused('validation.amount_decimals'));
    expect(await check(AnyAmount, 'amount', '1000000000000')).toEqual(
      refused('validation.amount_too_large', { max: '999999999999.99' }),
    );
  });
});

class LedgerCurrency {
  @IsCurrencyCode() currency!: string;
}
class PriceCurrency {
  @IsCurrencyCode({ lowerCase: true, message: 'validation.invalid' }) currency!: string;
}

describe(IsCurrencyCode.name, () => {
  it.each([['try'], ['TRY'], ['Eur']])('takes %p as sent', async (input) => {
    expect(await check(LedgerCurrency, 'currency', input)).toEqual(ok(input));
  });

  it.each([[' try'], ['tr'], ['tryy'], ['t1y'], [''], [123]])('refuses %p', async (input) => {
    expect(await check(LedgerCurrency, 'currency', input)).toEqual(refused('ledger.currency_invalid'));
  });

  it('lowerCase trims and lower-cases before checking', async () => {
    expect(await check(PriceCurrency, 'currency', ' TRY ')).toEqual(ok('try'));
    expect(await check(PriceCurrency, 'currency', 'tryy')).toEqual(refused('validation.invalid'));
    expect(await check(PriceCurrency, 'currency', 5)).toEqual(refused('validation.invalid'));
  });
});

class UserPhone {
  @IsPhone('user') phone!: string;
}
class CardPhone {
  @IsPhone('loyalty_card') phone!: string;
}
class AddressPhone {
  @IsPhone('address') phone!: string;
}

describe(IsPhone.name, () => {
  it.each([
    [UserPhone, ' +90 (555) 111-2233 ', '+90 (555) 111-2233'],
    [UserPhone, '12345', '12345'],
    [CardPhone, '+966123457799', '+966123457799'],
    [CardPhone, '123456789', '123456789'],
    [AddressPhone, '0555 123 45 67', '0555 123 45 67'],
    [AddressPhone, '1234567', '1234567'],
  ])('%p accepts %p (trimmed)', async (metatype, input, value) => {
    expect(await check(metatype, 'phone', input)).toEqual(ok(value));
  });

  it.each([
    // Too short for each rule: 4 characters, 8 digits, 6 characters.
    [UserPhone, '1234', 'validation.invalid'],
    [CardPhone, '12345678', 'loyalty_card.invalid_phone'],
    [AddressPhone, '123456', 'loyalty_card.invalid_phone'],
    // Too long: 33 characters, 16 digits, 33 characters; the pattern's message, not the length's.
    [UserPhone, '1'.repeat(33), 'validation.invalid'],
    [CardPhone, '+' + '2'.repeat(16), 'loyalty_card.invalid_phone'],
    [AddressPhone, '1'.repeat(33), 'loyalty_card.invalid_phone'],
    [UserPhone, 'call me', 'validation.invalid'],
    [CardPhone, '+90 555 111 2233', 'loyalty_card.invalid_phone'],
    [AddressPhone, 5551234567, 'loyalty_card.invalid_phone'],
  ])('%p refuses %p with %s', async (metatype, input, key) => {
    expect(await check(metatype, 'phone', input)).toEqual(refused(key));
  });

  it('documents the pattern and the length', () => {
    const documented = Reflect.getMetadata('swagger/apiModelProperties', CardPhone.prototype, 'phone') as object;
    expect(documented).toMatchObject({ pattern: '^\\+?1?\\d{9,15}$', maxLength: 60 });
  });
});
