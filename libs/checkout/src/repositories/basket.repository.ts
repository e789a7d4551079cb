import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { readTogether } from '@app/database';
import { BasketItemEntity } from '../entities/basket-item.entity';
import { BasketEntity } from '../entities/basket.entity';
import type { BasketLine } from '../pricing/basket-pricing';
import {
  type BasketLineChange,
  type BasketOfCaller,
  type CallerBasket,
  callerBasketPart,
  readBasketLines,
  setBasketLine,
} from './basket-lines.repository';

/** The storefront baskets: which is the caller's, their priced lines, and the line writes. */
@Injectable()
export class BasketRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The caller's basket with its priced lines, in one statement (callerBasketPart); null when none. */
  async ofCaller(caller: BasketOfCaller): Promise<CallerBasket | null> {
    return (await readTogether(this.dataSource, { basket: callerBasketPart(caller) })).basket;
  }

  /** A basket's lines priced in `currency`, oldest first. */
  lines(basketId: number, currency: string): Promise<BasketLine[]> {
    return readBasketLines(this.dataSource, basketId, currency);
  }

  /** Writes one line in one statement (`basket_set_line`); its refusals are the checkout's errors. */
  setLine(change: BasketLineChange): Promise<void> {
    return setBasketLine(this.dataSource, change);
  }

  byId(id: number, channelId: number): Promise<BasketEntity | null> {
    return this.dataSource.getRepository(BasketEntity).findOne({ where: { id, channelId } });
  }

  /** Gives an anonymous basket to the user (only while it is still nobody's); answers it when it is now theirs. */
  async takeOver(id: number, userId: number): Promise<BasketEntity | null> {
    const baskets = this.dataSource.getRepository(BasketEntity);
    await baskets.update({ id, userId: IsNull() }, { userId });
    return baskets.findOne({ where: { id, userId } });
  }

  /** The user's most recently changed basket in the channel; null when none. */
  latestOf(channelId: number, userId: number): Promise<BasketEntity | null> {
    return this.dataSource.getRepository(BasketEntity).findOne({
      where: { channelId, userId },
      order: { modifiedDate: 'DESC', id: 'DESC' },
    });
  }

  /** A new empty basket (of the user, or anonymous); answers its id. */
  async create(channelId: number, userId: number | null): Promise<number> {
    return (await this.dataSource.getRepository(BasketEntity).save({ channelId, userId })).id;
  }

  /**
   * Removes a basket's line of one product, or every line, in one transaction holding the basket row's lock (as
   * every line write does), and marks the basket changed.
   */
  async removeLines(basketId: number, productId?: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(BasketEntity).findOne({ where: { id: basketId }, lock: { mode: 'pessimistic_write' } });
      await m.getRepository(BasketItemEntity).delete(productId === undefined ? { basketId } : { basketId, productId });
      await m.getRepository(BasketEntity).update({ id: basketId }, { modifiedDate: new Date() });
    });
  }
}
