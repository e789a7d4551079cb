import { randomUUID } from 'node:crypto';
import { Clock } from '@app/common';
import type { CardDetails, CardGateway, CardProblem, ChargeRequest, ChargeResult } from './card-gateway';
import { cardTypeOf, cvvValid, expiryValid, luhnValid } from './card-rules';

/** Charges remembered for idempotency; the oldest is forgotten past this (the database keeps the real record). */
const REMEMBERED_CHARGES_MAX = 10_000;

/**
 * Test card numbers and what the sandbox answers (also in docs/checkout.md). Any other number that passes the
 * checks is approved.
 */
export const SANDBOX_CARDS = {
  approved: '4242424242424242',
  approvedMastercard: '5555555555554444',
  approvedAmex: '378282246310005',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  /** Approved only with `use_three_d` (the sandbox's 3-D Secure is frictionless: no redirect). */
  threeDRequired: '4000000000003220',
  /** The gateway fails without an answer (a timeout at the bank): the charge's outcome is unknown. */
  gatewayError: '4000000000000119',
} as const;

interface SandboxCharge {
  key: string;
  reference: string;
  amountMinor: bigint;
  result: ChargeResult;
  voided: boolean;
}

/** A gateway that talks to no bank: for development, tests and demos (`PAYMENT_GATEWAY=sandbox`). */
export class SandboxCardGateway implements CardGateway {
  readonly name = 'sandbox';
  private readonly charges = new Map<string, SandboxCharge>();
  /** Every charge call that moved money, for tests that count charges. */
  private approvedCount = 0;

  constructor(private readonly clock: Clock) {}

  validate(card: CardDetails): CardProblem[] {
    const problems: CardProblem[] = [];
    const type = cardTypeOf(card.number);
    if (!luhnValid(card.number)) problems.push({ field: 'card_number', problem: 'invalid' });
    else if (!type) problems.push({ field: 'card_number', problem: 'unsupported' });
    if (!expiryValid(card.month, card.year, this.clock.now())) {
      problems.push({ field: 'card_month', problem: 'expired' });
    }
    if (!cvvValid(card.cvv, type ?? 'visa')) problems.push({ field: 'card_cvv', problem: 'invalid' });
    if (card.holder.trim() === '') problems.push({ field: 'card_holder', problem: 'required' });
    return problems;
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    const known = this.charges.get(request.idempotencyKey);
    if (known) {
      // A retry: the first answer, never a second charge. A different amount under one key is a caller bug.
      if (known.amountMinor !== request.amountMinor)
        return Promise.reject(new Error('sandbox: idempotency key reused'));
      return Promise.resolve(known.result);
    }
    const type = cardTypeOf(request.card.number);
    if (this.validate(request.card).length > 0 || !type) return Promise.reject(new Error('sandbox: invalid card'));
    if (request.card.number === SANDBOX_CARDS.gatewayError) {
      return Promise.reject(new Error('sandbox: the gateway did not answer'));
    }
    let result: ChargeResult;
    if (request.card.number === SANDBOX_CARDS.declined) result = { approved: false, reason: 'declined' };
    else if (request.card.number === SANDBOX_CARDS.insufficientFunds) {
      result = { approved: false, reason: 'insufficient_funds' };
    } else if (request.card.number === SANDBOX_CARDS.threeDRequired && !request.threeD) {
      result = { approved: false, reason: 'three_d_required' };
    } else {
      result = {
        approved: true,
        reference: `sbx_${randomUUID()}`,
        cardType: type,
        last4: request.card.number.slice(-4),
      };
      this.approvedCount++;
    }
    this.remember({
      key: request.idempotencyKey,
      reference: result.approved ? result.reference : '',
      amountMinor: request.amountMinor,
      result,
      voided: false,
    });
    return Promise.resolve(result);
  }

  void(reference: string): Promise<void> {
    for (const charge of this.charges.values()) {
      if (charge.reference === reference) charge.voided = true;
    }
    return Promise.resolve();
  }

  /** For tests: how many charges were approved, and whether the charge under a key was voided. */
  stats(key?: string): { approved: number; voided: boolean | undefined } {
    return { approved: this.approvedCount, voided: key === undefined ? undefined : this.charges.get(key)?.voided };
  }

  private remember(charge: SandboxCharge): void {
    if (this.charges.size >= REMEMBERED_CHARGES_MAX) {
      const oldest = this.charges.keys().next().value;
      if (oldest !== undefined) this.charges.delete(oldest);
    }
    this.charges.set(charge.key, charge);
  }
}
