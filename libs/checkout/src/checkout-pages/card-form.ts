import { dynamicFieldMessage, type FieldMessage, type PlainMessageKey } from '@app/common';
import type { CheckoutFormDto } from '../dtos/checkout.dto';
import type { CardDetails, CardProblem } from '../payments/card-gateway';
import type { CardPaymentService } from '../payments/card-payment.service';
import { normaliseCardNumber } from '../payments/card-rules';
import { FIELD_TEXT_LENGTH_MAX, isTruthy } from './form-fields';
import { PageError } from './page-error';

/** The card holder's name: longer than any printed on a card, short enough to bound the request. */
const CARD_HOLDER_LENGTH_MAX = 64;

const CARD_PROBLEM_MESSAGES: Readonly<Record<CardProblem['problem'], PlainMessageKey>> = {
  invalid: 'checkout.card_number_invalid',
  unsupported: 'checkout.card_unsupported',
  expired: 'checkout.card_expired',
  required: 'validation.required',
};

/**
 * The confirmation page's card, checked field by field (every problem at once, as 200 `errors`). The number is
 * kept in memory only for this request.
 */
export function cardOfForm(
  payments: CardPaymentService,
  form: CheckoutFormDto,
): { details: CardDetails; threeD: boolean } {
  const raw = (value: unknown, max: number): string => {
    if (typeof value !== 'string') return '';
    const trimmed = value.trim();
    return trimmed.length > max ? '' : trimmed;
  };
  const details: CardDetails = {
    number: normaliseCardNumber(raw(form.card_number, FIELD_TEXT_LENGTH_MAX)),
    holder: raw(form.card_holder, CARD_HOLDER_LENGTH_MAX),
    month: raw(form.card_month, 2),
    year: raw(form.card_year, 4),
    cvv: raw(form.card_cvv, 4),
  };
  const problems = payments.validate(details);
  if (problems.length > 0) {
    const errors: Record<string, FieldMessage[]> = {};
    for (const { field, problem } of problems) {
      const key = field === 'card_cvv' ? 'checkout.card_cvv_invalid' : CARD_PROBLEM_MESSAGES[problem];
      (errors[field] ??= []).push(dynamicFieldMessage(key));
    }
    throw PageError.fields(errors);
  }
  return { details, threeD: isTruthy(form.use_three_d) };
}
