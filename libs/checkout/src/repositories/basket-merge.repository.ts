import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { BasketItemEntity } from '../entities/basket-item.entity';
import { BasketEntity } from '../entities/basket.entity';
import { ProductEntity } from '../entities/product.entity';

/** What a merge does to the customer's basket: lines whose quantity grows, and lines it gains. */
export interface MergePlan {
  raise: { id: number; quantity: number }[];
  add: { productId: number; quantity: number; attributes: Record<string, unknown> }[];
}

/** Decides a merge from the two baskets' lines and the incoming lines' products (of the channel). */
export type MergeRule = (
  incoming: readonly BasketItemEntity[],
  existing: readonly BasketItemEntity[],
  products: readonly ProductEntity[],
) => MergePlan;

/** The sign-in basket merge's one transaction (BasketMergeService has the rule). */
@Injectable()
export class BasketMergeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Merges the anonymous basket into the user's latest one as `rule` plans it, and deletes it; or, when the user
   * has none yet, gives it to them. Answers the basket the session should name afterwards, or null when
   * `anonymousId` is not an anonymous basket of the channel (checked under the lock).
   */
  merge(channelId: number, userId: number, anonymousId: number, rule: MergeRule): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      const baskets = m.getRepository(BasketEntity);
      const own = await baskets.findOne({
        where: { channelId, userId },
        order: { modifiedDate: 'DESC', id: 'DESC' },
      });
      // Both rows locked in id order, as every other two-basket path would, so concurrent sign-ins cannot deadlock.
      const ids = [anonymousId, ...(own ? [own.id] : [])].sort((a, b) => a - b);
      const locked = await baskets.find({
        where: { id: In(ids) },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const anonymous = locked.find((b) => b.id === anonymousId && b.channelId === channelId && b.userId === null);
      if (!anonymous) return null;
      const target = own ? locked.find((b) => b.id === own.id && b.userId === userId) : undefined;
      if (!target) {
        // No basket of their own yet: the anonymous one simply becomes theirs.
        await baskets.update({ id: anonymous.id, userId: IsNull() }, { userId });
        return anonymous.id;
      }
      const items = m.getRepository(BasketItemEntity);
      const incoming = await items.find({ where: { basketId: anonymous.id }, order: { id: 'ASC' } });
      const existing = await items.find({ where: { basketId: target.id } });
      const products = await m.getRepository(ProductEntity).find({
        where: { id: In([0, ...incoming.map((line) => line.productId)]), channelId },
      });
      const plan = rule(incoming, existing, products);
      for (const line of plan.raise) await items.update({ id: line.id }, { quantity: line.quantity });
      for (const line of plan.add) await items.save(items.create({ basketId: target.id, ...line }));
      await baskets.delete({ id: anonymous.id });
      await baskets.update({ id: target.id }, { modifiedDate: new Date() });
      return target.id;
    });
  }
}
