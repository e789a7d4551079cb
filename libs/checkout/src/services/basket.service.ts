import { Injectable } from '@nestjs/common';
import { isPk } from '@app/common';
import { SessionService, type StorefrontRequestContext } from '@app/identity';
import {
  ATTRIBUTES_BYTES_MAX,
  type BasketAddDto,
  type BasketEnvelopeResponseDto,
  type BasketUpdateDto,
} from '../dtos/basket.dto';
import type { BasketEntity } from '../entities/basket.entity';
import { BasketChangedError, LineAttributesTooLargeError, LineQuantityMissingError } from '../errors';
import { priceBasket, type PricedBasket } from '../pricing/basket-pricing';
import { toBasketEnvelope } from '../checkout.mapper';
import {
  BasketGoneError,
  type BasketLineChange,
  type BasketOfCaller,
  type CallerBasket,
} from '../repositories/basket-lines.repository';
import { BasketRepository } from '../repositories/basket.repository';

/** The session data key naming the session's basket. */
export const BASKET_SESSION_KEY = 'basket_pk';

/** How often a line write finds its basket gone (merged by a sign-in) before it gives up. */
const BASKET_WRITE_ATTEMPTS = 3;

/** Which basket the request's caller has (see callerBasketPart). */
export function basketOfCaller(ctx: StorefrontRequestContext): BasketOfCaller {
  const named = ctx.session.get(BASKET_SESSION_KEY);
  return {
    channelId: ctx.channel.id,
    namedId: isPk(named) ? named : null,
    userId: ctx.user?.id ?? null,
    currency: ctx.currency,
  };
}

/**
 * The storefront basket of the caller (an anonymous session or a signed-in user). Each change runs in one
 * transaction holding the basket row's lock, so concurrent requests (the client fires some twice) cannot push a
 * basket past its limits. Lines are priced when read, in the request's currency.
 */
@Injectable()
export class BasketService {
  constructor(
    private readonly baskets: BasketRepository,
    private readonly sessions: SessionService,
  ) {}

  async get(ctx: StorefrontRequestContext): Promise<BasketEnvelopeResponseDto> {
    return toBasketEnvelope(await this.priced(ctx));
  }

  /** The caller's basket priced in the request's currency, amounts in minor units (the checkout's snapshot). */
  async priced(ctx: StorefrontRequestContext): Promise<PricedBasket> {
    return this.priceFound(ctx, await this.baskets.ofCaller(basketOfCaller(ctx)));
  }

  /** The basket `callerBasketPart(basketOfCaller(ctx))` read, priced; an anonymous one a signed-in user takes over. */
  async priceFound(ctx: StorefrontRequestContext, found: CallerBasket | null): Promise<PricedBasket> {
    // An anonymous basket a user who signed in is to take over: the slow way, which does that.
    if (found && found.ownerId === null && ctx.user) return this.priceOf(ctx, (await this.find(ctx))?.id ?? null);
    return priceBasket(found?.basketId ?? null, ctx.currency, found?.lines ?? []);
  }

  /** Adds units of a product (a new line, or more of an existing one). */
  async add(ctx: StorefrontRequestContext, dto: BasketAddDto): Promise<BasketEnvelopeResponseDto> {
    const attributes = checkAttributes(dto.attributes);
    const basketId = await this.setLine(ctx, {
      productId: dto.product,
      quantity: dto.quantity ?? 1,
      add: true,
      attributes,
    });
    return this.render(ctx, basketId);
  }

  /** Sets a line's quantity; 0 removes the line (also when it is not there: a retry changes nothing). */
  async update(ctx: StorefrontRequestContext, dto: BasketUpdateDto): Promise<BasketEnvelopeResponseDto> {
    if (dto.product === undefined) return this.get(ctx);
    const productId = dto.product;
    if (dto.quantity === undefined) throw new LineQuantityMissingError();
    const quantity = dto.quantity;
    const attributes = checkAttributes(dto.attributes);
    if (quantity === 0) {
      const basket = await this.find(ctx);
      if (!basket) return this.render(ctx, null);
      await this.baskets.removeLines(basket.id, productId);
      return this.render(ctx, basket.id);
    }
    const basketId = await this.setLine(ctx, { productId, quantity, add: false, attributes });
    return this.render(ctx, basketId);
  }

  /** Empties the basket (the storefront does this when the shopper changes currency). */
  async clear(ctx: StorefrontRequestContext): Promise<BasketEnvelopeResponseDto> {
    const basket = await this.find(ctx);
    if (!basket) return this.render(ctx, null);
    await this.baskets.removeLines(basket.id);
    return this.render(ctx, basket.id);
  }

  /**
   * The caller's basket: the one the session names (an anonymous one is taken over by the user who signs in),
   * else the signed-in user's latest. A basket of another user is never returned.
   */
  private async find(ctx: StorefrontRequestContext): Promise<BasketEntity | null> {
    const named = ctx.session.get(BASKET_SESSION_KEY);
    if (isPk(named)) {
      const row = await this.baskets.byId(named, ctx.channel.id);
      if (row && row.userId === null && ctx.user) return this.baskets.takeOver(row.id, ctx.user.id);
      if (row && row.userId === (ctx.user?.id ?? null)) return row;
    }
    if (!ctx.user) return null;
    return this.baskets.latestOf(ctx.channel.id, ctx.user.id);
  }

  /**
   * Writes a line into the caller's basket (found, or created). A basket that went away in between (a sign-in
   * merged it) is found or created again, a few times at most; then the caller is asked to try again (409).
   */
  private async setLine(
    ctx: StorefrontRequestContext,
    line: Pick<BasketLineChange, 'productId' | 'quantity' | 'add' | 'attributes'>,
  ): Promise<number> {
    for (let attempt = 1; attempt <= BASKET_WRITE_ATTEMPTS; attempt++) {
      const basketId = await this.ensure(ctx);
      try {
        await this.baskets.setLine({ ...line, basketId, channelId: ctx.channel.id, currency: ctx.currency });
        return basketId;
      } catch (error) {
        if (!(error instanceof BasketGoneError)) throw error;
      }
    }
    throw new BasketChangedError();
  }

  /** The caller's basket, created (and named in the session) when there is none yet. */
  private async ensure(ctx: StorefrontRequestContext): Promise<number> {
    // The same read as `priced` (it takes over an anonymous basket of a user who signed in).
    const found = (await this.priced(ctx)).basketId;
    const id = found ?? (await this.baskets.create(ctx.channel.id, ctx.user?.id ?? null));
    if (ctx.session.get(BASKET_SESSION_KEY) !== id) {
      await this.sessions.set(ctx.session, ctx.channel.id, BASKET_SESSION_KEY, id);
    }
    return id;
  }

  /** The basket priced in the request's currency (see priceBasket). */
  private async render(ctx: StorefrontRequestContext, basketId: number | null): Promise<BasketEnvelopeResponseDto> {
    return toBasketEnvelope(await this.priceOf(ctx, basketId));
  }

  private async priceOf(ctx: StorefrontRequestContext, basketId: number | null): Promise<PricedBasket> {
    const lines = basketId === null ? [] : await this.baskets.lines(basketId, ctx.currency);
    return priceBasket(basketId, ctx.currency, lines);
  }
}

function checkAttributes(attributes: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (attributes === undefined) return undefined;
  if (Buffer.byteLength(JSON.stringify(attributes), 'utf8') > ATTRIBUTES_BYTES_MAX) {
    throw new LineAttributesTooLargeError(ATTRIBUTES_BYTES_MAX);
  }
  return attributes;
}
