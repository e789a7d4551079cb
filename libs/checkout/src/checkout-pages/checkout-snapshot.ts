import { Injectable } from '@nestjs/common';
import { type MinorUnits } from '@app/common';
import { SessionService, type StorefrontRequestContext } from '@app/identity';
import type { DynamicSettings } from '@app/settings';
import { ADDRESSES_MAX, type AddressResponseDto } from '../dtos/address.dto';
import type { AddressEntity } from '../entities/address.entity';
import type { OrderEntity } from '../entities/order.entity';
import { PlacedOrders } from '../placement/placed-orders';
import { CardPaymentService } from '../payments/card-payment.service';
import { isEmptyBasket, priceBasket, type PricedBasket } from '../pricing/basket-pricing';
import { CheckoutPageRepository, type PageRead } from '../repositories/checkout-page.repository';
import { toAddressResponse } from '../checkout.mapper';
import { AddressService, type CheckoutAddress } from '../services/address.service';
import { basketOfCaller, BasketService } from '../services/basket.service';
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
    private readonly pages: CheckoutPageRepository,
    readonly sessions: SessionService,
    readonly baskets: BasketService,
    readonly addresses: AddressService,
    readonly payments: CardPaymentService,
    readonly orders: PlacedOrders,
  ) {}

  /** The checkout of one request. */
  snapshot(ctx: StorefrontRequestContext): CheckoutSnapshot {
    return new CheckoutSnapshot(ctx, this);
  }

  /**
   * Everything a page may need, in one statement (CheckoutPageRepository.read): the caller's basket, the settings
   * and, for a signed-in caller, their addresses and balance.
   */
  readPage(ctx: StorefrontRequestContext, withLatestOrder = false): Promise<PageRead> {
    return this.pages.read(ctx, basketOfCaller(ctx), withLatestOrder);
  }
}

export type { PageRead } from '../repositories/checkout-page.repository';

/**
 * One request's view of the checkout: its session state, and the priced basket, addresses, settings and balance it
 * needs, each read at most once per request (the first reads start together), so a page and the `pre_order` it is
 * answered with see the same basket. A post writes only the fields it changed.
 */
export class CheckoutSnapshot {
  state: CheckoutState;
  /** The one read of the page (readPage); made again when another request may have changed what it read. */
  private pageRead?: Promise<PageRead>;
  /** This request's order took the basket (tookBasket). */
  private basketTaken = false;
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

  /** Starts the page's one read (readPage): the basket, the settings, the addresses and the balance. */
  prefetch(): void {
    void this.read().catch(() => undefined);
  }

  private read(): Promise<PageRead> {
    return (this.pageRead ??= this.sources.readPage(this.ctx));
  }

  /**
   * The signed-in customer's latest order, whatever its state. Asked before anything else is read (the final page,
   * right after `refresh`), it comes with the page's one read.
   */
  async latestOrder(): Promise<OrderEntity | null> {
    const user = this.requireUser();
    this.pageRead ??= this.sources.readPage(this.ctx, true);
    const { latestOrder } = await this.pageRead;
    return latestOrder !== undefined ? latestOrder : this.sources.orders.latestOf(this.ctx.channel.id, user.id);
  }

  requireUser(): SignedInUser {
    if (!this.ctx.user) throw PageError.nonField('checkout.login_required');
    return this.ctx.user;
  }

  basket(): Promise<PricedBasket> {
    return (this.basketRead ??= this.read().then((read) => this.sources.baskets.priceFound(this.ctx, read.basket)));
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
    return (this.settingsRead ??= this.read().then((read) => read.settings));
  }

  async loyaltyEnabled(): Promise<boolean> {
    return (await this.settings()).LOYALTY_MONEY_ENABLED;
  }

  async requireLoyaltyEnabled(): Promise<void> {
    if (!(await this.loyaltyEnabled())) throw PageError.nonField('checkout.loyalty_disabled');
  }

  /** The customer's store-credit balance in the request's currency (never below 0). */
  balance(): Promise<MinorUnits> {
    this.requireUser();
    return (this.balanceRead ??= this.read().then(({ balance }) => (balance > 0n ? balance : 0n)));
  }

  /** One of the customer's addresses as the contract shows it; null when it is not (or no longer) theirs. */
  address(pk: number | undefined): Promise<AddressResponseDto | null> {
    if (pk === undefined || !this.ctx.user) return Promise.resolve(null);
    let read = this.addressReads.get(pk);
    if (!read) {
      read = this.addressRow(pk).then((row) => (row ? toAddressResponse(row) : null));
      this.addressReads.set(pk, read);
    }
    return read;
  }

  /** All of the customer's addresses (at most ADDRESSES_MAX), default first: the address page lists them. */
  async addresses(): Promise<AddressResponseDto[]> {
    return (await this.read()).addresses.map(toAddressResponse);
  }

  /**
   * One of the customer's addresses with whether it can be delivered to as it is (checked once per request: the
   * shipping and billing address are often one). The answer then shows it without reading it again.
   */
  checkedAddress(pk: number): Promise<CheckoutAddress | null> {
    let check = this.addressChecks.get(pk);
    if (!check) {
      check = this.addressRow(pk).then((row) => (row ? this.sources.addresses.checked(row) : null));
      this.addressChecks.set(pk, check);
      this.addressReads.set(
        pk,
        check.then((found) => found?.address ?? null),
      );
    }
    return check;
  }

  /** The address from the page's read; one past ADDRESSES_MAX (imported data) is read alone. */
  private async addressRow(pk: number): Promise<AddressEntity | null> {
    const { addresses } = await this.read();
    const row = addresses.find((address) => address.id === pk);
    if (row || addresses.length < ADDRESSES_MAX) return row ?? null;
    return this.sources.addresses.row(this.ctx, pk);
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
    if (!this.basketTaken) this.forgetBasket();
  }

  /** Reads the session and the basket again: another request may have changed them while this one waited. */
  async refresh(): Promise<void> {
    if (this.ctx.session.id) {
      const fresh = await this.sources.sessions.load(this.ctx.session.id, this.ctx.channel.id);
      this.ctx.session.data = fresh.data;
    }
    this.state = readCheckoutState(this.ctx);
    this.forgetBasket();
  }

  /**
   * The basket or the balance may have changed (an order gave the basket back; another request paid): the page's
   * read and everything taken from it are dropped, so the next read sees them as they are now.
   */
  forgetBasket(): void {
    this.pageRead = undefined;
    this.basketRead = undefined;
    this.balanceRead = undefined;
    this.settingsRead = undefined;
    this.addressReads.clear();
    this.addressChecks.clear();
    this.basketTaken = false;
  }

  /**
   * The order this request placed took every line of the basket (checkout_place_order, under the basket's lock):
   * the basket is known to be empty without reading it again. Anything else is read again if asked.
   */
  tookBasket(basketId: number): void {
    this.forgetBasket();
    this.basketRead = Promise.resolve(priceBasket(basketId, this.ctx.currency, []));
    this.basketTaken = true;
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
