import { randomUUID } from 'node:crypto';
import { Clock, type MinorUnits } from '@app/common';
import type {
  CardDetails,
  CardGateway,
  CardProblem,
  ChargeLookup,
  ChargeRequest,
  ChargeResult,
  DeclineReason,
} from './card-gateway';
import { cardTypeOf, type CardType, cvvValid, expiryValid, luhnValid } from './card-rules';

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

/** One charge as the sandbox's "bank" records it. */
export interface SandboxCharge {
  key: string;
  amountMinor: MinorUnits;
  status: 'approved' | 'declined' | 'failed' | 'voided';
  reference: string;
  declineReason: DeclineReason | null;
  cardType: CardType | null;
  last4: string;
}

/**
 * Where the sandbox keeps its charges: the database in the apps (SandboxChargeRepository, shared by instances),
 * memory in unit tests.
 */
export interface SandboxChargeStore {
  /** Records the charge unless its key is known; answers the record that stands (the first). */
  insertIfAbsent(charge: SandboxCharge): Promise<SandboxCharge>;
  get(key: string): Promise<SandboxCharge | undefined>;
  voidByReference(reference: string): Promise<void>;
  countApproved(): Promise<number>;
}

export class MemorySandboxChargeStore implements SandboxChargeStore {
  private readonly charges = new Map<string, SandboxCharge>();

  insertIfAbsent(charge: SandboxCharge): Promise<SandboxCharge> {
    const known = this.charges.get(charge.key);
    if (!known) this.charges.set(charge.key, charge);
    return Promise.resolve(known ?? charge);
  }

  get(key: string): Promise<SandboxCharge | undefined> {
    return Promise.resolve(this.charges.get(key));
  }

  voidByReference(reference: string): Promise<void> {
    for (const charge of this.charges.values()) {
      if (charge.reference === reference && charge.status === 'approved') charge.status = 'voided';
    }
    return Promise.resolve();
  }

  countApproved(): Promise<number> {
    return Promise.resolve([...this.charges.values()].filter((c) => c.reference !== '').length);
  }
}

function resultOf(charge: SandboxCharge): ChargeResult {
  if (charge.status === 'declined') return { approved: false, reason: charge.declineReason ?? 'declined' };
  return { approved: true, reference: charge.reference, cardType: charge.cardType!, last4: charge.last4 };
}

/** A gateway that talks to no bank: for development, tests and demos (`PAYMENT_GATEWAY=sandbox`). */
export class SandboxCardGateway implements CardGateway {
  readonly name = 'sandbox';

  constructor(
    private readonly clock: Clock,
    private readonly store: SandboxChargeStore = new MemorySandboxChargeStore(),
  ) {}

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

  /** Idempotent by key: a retry answers the first result and charges nothing more. */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const type = cardTypeOf(request.card.number);
    if (this.validate(request.card).length > 0 || !type) throw new Error('sandbox: invalid card');
    const number = request.card.number;
    const charge: SandboxCharge = {
      key: request.idempotencyKey,
      amountMinor: request.amountMinor,
      status: 'approved',
      reference: '',
      declineReason: null,
      cardType: type,
      last4: number.slice(-4),
    };
    if (number === SANDBOX_CARDS.gatewayError) charge.status = 'failed';
    else if (number === SANDBOX_CARDS.declined) charge.declineReason = 'declined';
    else if (number === SANDBOX_CARDS.insufficientFunds) charge.declineReason = 'insufficient_funds';
    else if (number === SANDBOX_CARDS.threeDRequired && !request.threeD) charge.declineReason = 'three_d_required';
    if (charge.declineReason) charge.status = 'declined';
    if (charge.status === 'approved') charge.reference = `sbx_${randomUUID()}`;
    const recorded = await this.store.insertIfAbsent(charge);
    // A different amount under one key is a caller bug, never a second charge.
    if (recorded.amountMinor !== request.amountMinor) throw new Error('sandbox: idempotency key reused');
    if (recorded.status === 'failed') throw new Error('sandbox: the gateway did not answer');
    return resultOf(recorded);
  }

  async lookup(idempotencyKey: string): Promise<ChargeLookup> {
    const charge = await this.store.get(idempotencyKey);
    if (!charge) return { state: 'not_found' };
    switch (charge.status) {
      case 'failed':
        return { state: 'unknown' };
      case 'voided':
        return { state: 'voided', reference: charge.reference };
      case 'declined':
        return { state: 'declined', reason: charge.declineReason ?? 'declined' };
      case 'approved':
        return { state: 'approved', reference: charge.reference, cardType: charge.cardType!, last4: charge.last4 };
    }
  }

  void(reference: string): Promise<void> {
    return this.store.voidByReference(reference);
  }

  /** For tests: how many charges were approved (voided ones included), and whether a key's charge was voided. */
  async stats(key?: string): Promise<{ approved: number; voided: boolean | undefined }> {
    const charge = key === undefined ? undefined : await this.store.get(key);
    return { approved: await this.store.countApproved(), voided: charge ? charge.status === 'voided' : undefined };
  }
}
