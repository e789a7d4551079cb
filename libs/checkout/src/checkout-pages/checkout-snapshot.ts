import { Injectable } from '@nestjs/common';
import { type MinorUnits } from '@app/common';
import { SessionService, type StorefrontRequestContext } from '@app/identity';
import { LedgerQueryService } from '@app/ledger';
import { type DynamicSettings, DynamicSettingsService } from '@app/settings';
import type { AddressResponseDto } from '../dtos/address.dto';
import { CardPaymentService } from '../payments/card-payment.service';
import { isEmptyBasket, type PricedBasket } from '../pricing/basket-pricing';
import { AddressService, type CheckoutAddress } from '../services/address.service';
import { BasketService } from '../services/basket.service';
import { shippingAmount } from './checkout-options';
import { CHECKOUT_SESSION_KEY, type CheckoutState, chosenLoyalty, readCheckoutState } from './checkout-state';
import { PageError } from './page-error';

/** The checkout's money for the request: the basket's total with shipping, and the store credit used of it. */
export interface CheckoutAmounts {
  readonly basket: PricedBasket;
  readonly total: MinorUnits;
  /** The store credit chosen, never above the total. */
  readonly loyalty: MinorUnits;
  /** What store credit leaves to pay by card. */
  readonly unpaid: MinorUnits;
}

type SignedInUser = NonNullable<StorefrontRequestContext['user']>;

/** What a snapshot reads from, once per request. */
@Injectable()
export class CheckoutSources {
  constructor(
    readonly sessions: SessionService,
    readonly baskets: BasketService,
    readonly addresses: AddressService,
    readonly queries: LedgerQueryService,
    readonly settings: DynamicSettingsService,
    readonly payments: CardPaymentService,
  ) {}

  /** The checkout of one request. */
  snapshot(ctx: StorefrontRequestContext): CheckoutSnapshot {
    return new CheckoutSnapshot(ctx, this);
  }
}

/**
 * One request's view of the checkout: its session state, and the priced basket, addresses, settings and balance it
 * needs, each read at most once per request (the first reads start together), so a page and the `pre_order` it is
 * answered with see the same basket. A post writes only the fields it changed.
 */
export class CheckoutSnapshot {
  state: CheckoutState;
  private basketRead?: Promise<PricedBasket>;
  private settingsRead?: Promise<DynamicSettings>;
  private balanceRead?: Promise<MinorUnits>;
  private readonly addressReads = new Map<number, Promise<AddressResponseDto | null>>();
  private readonly addressChecks = new Map<number, Promise<CheckoutAddress | null>>();

  constructor(
    readonly ctx: StorefrontRequestContext,
    readonly sources: CheckoutSources,
  ) {
    this.state = readCheckoutState(ctx);
  }

  /** Starts the reads every answer needs (the basket, the chosen addresses), side by side. */
  prefetch(): void {
    void this.basket().catch(() => undefined);
    for (const pk of this.chosenAddressPks()) void this.address(pk).catch(() => undefined);
  }

  requireUser(): SignedInUser {
    if (!this.ctx.user) throw PageError.nonField('checkout.login_required');
    return this.ctx.user;
  }

  basket(): Promise<PricedBasket> {
    return (this.basketRead ??= this.sources.baskets.priced(this.ctx));
  }

  async amounts(): Promise<CheckoutAmounts> {
    const basket = await this.basket();
    const total = basket.total + shippingAmount(this.state);
    const chosen = chosenLoyalty(this.state);
    const loyalty = chosen < total ? chosen : total;
    return { basket, total, loyalty, unpaid: total - loyalty };
  }

  /** The amounts of a signed-in customer's non-empty basket; otherwise the page's error. */
  async requireBasket(): Promise<CheckoutAmounts> {
    this.requireUser();
    const amounts = await this.amounts();
    if (isEmptyBasket(amounts.basket)) throw PageError.nonField('checkout.basket_empty');
    return amounts;
  }

  /** The steps before a page were posted (the client posts missing ones at once). */
  requireSteps(...steps: (keyof CheckoutState)[]): void {
    if (steps.some((step) => this.state[step] === undefined)) throw PageError.nonField('checkout.step_missing');
  }

  settings(): Promise<DynamicSettings> {
    return (this.settingsRead ??= this.sources.settings.get(this.ctx.channel.id));
  }

  async loyaltyEnabled(): Promise<boolean> {
    return (await this.settings()).LOYALTY_MONEY_ENABLED;
  }

  async requireLoyaltyEnabled(): Promise<void> {
    if (!(await this.loyaltyEnabled())) throw PageError.nonField('checkout.loyalty_disabled');
  }

  /** The customer's store-credit balance in the request's currency (never below 0). */
  balance(): Promise<MinorUnits> {
    const user = this.requireUser();
    return (this.balanceRead ??= this.sources.queries
      .userBalance(this.ctx.channel.id, user.id, this.ctx.currency)
      .then((balance) => (balance > 0n ? balance : 0n)));
  }

  /** One of the customer's addresses as the contract shows it; null when it is not (or no longer) theirs. */
  address(pk: number | undefined): Promise<AddressResponseDto | null> {
    if (pk === undefined || !this.ctx.user) return Promise.resolve(null);
    let read = this.addressReads.get(pk);
    if (!read) {
      const pks = [...new Set([pk, ...this.chosenAddressPks()])].filter((p) => !this.addressReads.has(p));
      const all = this.sources.addresses.byPks(this.ctx, pks);
      for (const p of pks)
        this.addressReads.set(
          p,
          all.then((found) => found.get(p) ?? null),
        );
      read = this.addressReads.get(pk)!;
    }
    return read;
  }

  /**
   * One of the customer's addresses with whether it can be delivered to as it is (checked once per request: the
   * shipping and billing address are often one). The answer then shows it without reading it again.
   */
  checkedAddress(pk: number): Promise<CheckoutAddress | null> {
    let check = this.addressChecks.get(pk);
    if (!check) {
      check = this.sources.addresses.forCheckout(this.ctx, pk);
      this.addressChecks.set(pk, check);
      this.addressReads.set(
        pk,
        check.then((found) => found?.address ?? null),
      );
    }
    return check;
  }

  /**
   * Stores the fields a step sets, merged into the stored state field by field: the client posts missing steps at
   * once, and each keeps the others' choices, on whichever instance they ran.
   */
  async save(changes: CheckoutState): Promise<void> {
    // A new checkout after a placed order: the old thank-you page is no longer the answer to the last page.
    const fields: CheckoutState = { ...changes, completed_order: undefined };
    await this.sources.sessions.merge(this.ctx.session, this.ctx.channel.id, CHECKOUT_SESSION_KEY, fields);
    this.state = readCheckoutState(this.ctx);
  }

  /** The placed order replaces the checkout's steps; a repeated final post answers its thank-you page. */
  async completed(orderNumber: string): Promise<void> {
    await this.sources.sessions.set(this.ctx.session, this.ctx.channel.id, CHECKOUT_SESSION_KEY, {
      completed_order: orderNumber,
    });
    this.state = readCheckoutState(this.ctx);
    this.basketRead = undefined;
  }

  /** Reads the session and the basket again: another request may have changed them while this one waited. */
  async refresh(): Promise<void> {
    if (this.ctx.session.id) {
      const fresh = await this.sources.sessions.load(this.ctx.session.id, this.ctx.channel.id);
      this.ctx.session.data = fresh.data;
    }
    this.state = readCheckoutState(this.ctx);
    this.basketRead = undefined;
    this.balanceRead = undefined;
  }

  /** The basket changed (an order took it, or gave it back): the next read sees it as it is now. */
  forgetBasket(): void {
    this.basketRead = undefined;
  }

  private chosenAddressPks(): number[] {
    const pks = [this.state.shipping_address, this.state.billing_address];
    return pks.filter((pk): pk is number => pk !== undefined);
  }
}

/**
 * Awaits reads started side by side and answers as if they had run one after another: the first failure in the
 * given order is the one thrown, whichever failed first in time.
 */
export async function inOrder<T extends readonly unknown[]>(reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(reads);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
