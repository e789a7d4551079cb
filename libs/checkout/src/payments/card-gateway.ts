import type { MinorUnits } from '@app/common';
import type { CardType, InstallmentCount } from './card-rules';

/** The card as typed by the customer. Lives only in memory for one request: never logged, never stored. */
export interface CardDetails {
  /** Digits only. */
  number: string;
  holder: string;
  month: string;
  year: string;
  cvv: string;
}

/** A field of the confirmation page and what is wrong with it. */
export type CardProblem =
  | { field: 'card_number'; problem: 'invalid' | 'unsupported' }
  | { field: 'card_month' | 'card_year'; problem: 'expired' }
  | { field: 'card_cvv'; problem: 'invalid' }
  | { field: 'card_holder'; problem: 'required' };

export interface ChargeRequest {
  /** A retry with the same key answers the first result and charges nothing more: the order number. */
  idempotencyKey: string;
  amountMinor: MinorUnits;
  currency: string;
  installmentCount: InstallmentCount;
  card: CardDetails;
  /** The customer asked for 3-D Secure. */
  threeD: boolean;
}

export type DeclineReason = 'declined' | 'insufficient_funds' | 'three_d_required';

export type ChargeResult =
  { approved: true; reference: string; cardType: CardType; last4: string } | { approved: false; reason: DeclineReason };

/**
 * What the gateway knows of a charge key: asked by the recovery worker when an order's charge was requested and
 * its answer never recorded. `not_found`: the request never reached the gateway (nothing was charged); `unknown`:
 * it did, and the gateway cannot tell the outcome (only staff can settle it).
 */
export type ChargeLookup =
  | { state: 'approved'; reference: string; cardType: CardType; last4: string }
  | { state: 'declined'; reason: DeclineReason }
  | { state: 'voided'; reference: string }
  | { state: 'not_found' }
  | { state: 'unknown' };

/**
 * A card payment provider. Implementations bound every outbound call in time; `charge` is idempotent by key,
 * `lookup` answers what became of a key (after a crash, on any instance), and `void` of an approved charge gives the
 * money back (used when the order cannot be completed after all).
 */
export interface CardGateway {
  /** The name recorded with each charge (`card_charge.gateway`). */
  readonly name: string;
  /** The card's own problems, found without contacting the bank; empty when it may be charged. */
  validate(card: CardDetails): CardProblem[];
  charge(request: ChargeRequest): Promise<ChargeResult>;
  lookup(idempotencyKey: string): Promise<ChargeLookup>;
  void(reference: string): Promise<void>;
}

export const CARD_GATEWAY = Symbol('CARD_GATEWAY');
