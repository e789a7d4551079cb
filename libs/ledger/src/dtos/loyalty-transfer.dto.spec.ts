import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { toFieldErrors } from '@app/common';
import { LoyaltyTransferCreateDto } from './loyalty-transfer.dto';

async function amountErrors(amount: unknown) {
  const dto = plainToInstance(LoyaltyTransferCreateDto, { amount, source_account: 1, destination_account: 2 });
  return toFieldErrors(await validate(dto)).amount;
}

describe('LoyaltyTransferCreateDto', () => {
  it.each([['20'], [20], ['20.5'], [0.01]])('accepts the amount %p', async (amount) => {
    expect(await amountErrors(amount)).toBeUndefined();
  });

  it.each([
    ['-5', 'validation.amount_not_positive'],
    [0, 'validation.amount_not_positive'],
    ['1.001', 'validation.amount_decimals'],
    ['1e3', 'validation.amount_invalid'],
    [Number.NaN, 'validation.amount_invalid'],
    [10 ** 15, 'validation.amount_too_large'],
    ['twenty', 'validation.amount_invalid'],
  ])('refuses the amount %p with %s', async (amount, key) => {
    expect(await amountErrors(amount)).toEqual([expect.objectContaining({ key })]);
  });
});
