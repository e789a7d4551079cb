import {
  ConflictError,
  dynamicFieldMessage,
  type FieldMessage,
  RetryLaterError,
  ValidationFailedError,
} from './app-error';

/**
 * Field messages are typed by their key: a literal whose message has placeholders needs `args` with every one. The
 * `@ts-expect-error` lines are the test (`npm run typecheck` fails if any of them compiles); the assertions only
 * keep the values in use.
 */
describe('field message literals', () => {
  it('need every placeholder’s argument at compile time', () => {
    const plain: FieldMessage = { key: 'validation.required' };
    const withArgs: FieldMessage = { key: 'ledger.refund_cap_exceeded', args: { available: '5.00' } };
    // @ts-expect-error the refund cap's message names {available}
    const missing: FieldMessage = { key: 'ledger.refund_cap_exceeded' };
    // @ts-expect-error {available}, not {max}
    const wrongName: FieldMessage = { key: 'ledger.refund_cap_exceeded', args: { max: '5.00' } };
    // @ts-expect-error not a message key
    const unknown: FieldMessage = { key: 'ledger.no_such_message' };
    expect([plain, withArgs, missing, wrongName, unknown]).toHaveLength(5);
  });

  it('built from a key known only at run time leave out absent arguments', () => {
    expect(dynamicFieldMessage('validation.required')).toEqual({ key: 'validation.required' });
    expect(Object.keys(dynamicFieldMessage('validation.required'))).toEqual(['key']);
    expect(dynamicFieldMessage('validation.max', { max: 3 })).toEqual({ key: 'validation.max', args: { max: 3 } });
    expect(ValidationFailedError.forField('amount', 'validation.max', { max: 3 }).fieldErrors).toEqual({
      amount: [{ key: 'validation.max', args: { max: 3 } }],
    });
  });

  it('as an error’s own message need every placeholder’s argument at compile time too', () => {
    class Sample extends RetryLaterError {}
    const made = [
      new ConflictError('conflict', 'ledger.order_payment_mismatch'),
      new ConflictError('conflict', 'ledger.refund_cap_exceeded', { available: '5.00' }),
      new Sample(3, 'throttled', 'errors.throttled', { seconds: 3 }),
      new ValidationFailedError({}, 'capped', 'ledger.amount_exceeds_order', { total: '9.00' }),
      new ValidationFailedError({}),
      // @ts-expect-error the refund cap's message names {available}
      new ConflictError('conflict', 'ledger.refund_cap_exceeded'),
      // @ts-expect-error {seconds}, not {max}
      new Sample(3, 'throttled', 'errors.throttled', { max: 3 }),
      // @ts-expect-error the order total's message names {total}
      new ValidationFailedError({}, 'capped', 'ledger.amount_exceeds_order'),
      // @ts-expect-error not a message key
      new ConflictError('conflict', 'ledger.no_such_message'),
    ];
    expect(made.map((e) => [e.messageKey, e.args])).toEqual([
      ['ledger.order_payment_mismatch', {}],
      ['ledger.refund_cap_exceeded', { available: '5.00' }],
      ['errors.throttled', { seconds: 3 }],
      ['ledger.amount_exceeds_order', { total: '9.00' }],
      ['errors.validation_failed', {}],
      ['ledger.refund_cap_exceeded', {}],
      ['errors.throttled', { max: 3 }],
      ['ledger.amount_exceeds_order', {}],
      ['ledger.no_such_message', {}],
    ]);
  });
});
