import { httpStatusOf } from '@app/common';
import { InsufficientFundsError, LEDGER_OPERATION_ERRORS } from '@app/ledger';
import { STOREFRONT_EDGE_ERRORS } from './edge-errors';

describe('the storefront edge table', () => {
  it('answers every error of the ledger operations the storefront calls', () => {
    const called = [...LEDGER_OPERATION_ERRORS.payOrder, ...LEDGER_OPERATION_ERRORS.listTransfers];
    expect(called.filter((type) => !STOREFRONT_EDGE_ERRORS.covers(type)).map((type) => type.name)).toEqual([]);
  });

  it('answers a refused payment with a message of the page, no field (the final page has none)', () => {
    const answer = STOREFRONT_EDGE_ERRORS.toHttp(new InsufficientFundsError('order_payment'));
    expect(answer).toMatchObject({ code: 'insufficient_funds', messageKey: 'ledger.insufficient_funds' });
    expect(httpStatusOf(answer!)).toBe(400);
    expect(answer?.fieldErrors).toBeUndefined();
  });
});
