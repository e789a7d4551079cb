import { dynamicFieldMessage, type FieldMessage, ValidationFailedError } from './app-error';

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
});
