import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { type LoginEvent, type LoginHook, LoginHooks, SessionService } from '@app/identity';
import { BASKET_LINES_MAX, LINE_QUANTITY_MAX } from '../dtos/basket.dto';
import { BasketItemEntity } from '../entities/basket-item.entity';
import { BasketEntity } from '../entities/basket.entity';
import { ProductEntity } from '../entities/product.entity';
import { BASKET_SESSION_KEY } from './basket.service';

/**
 * At sign-in, the anonymous session's basket joins the customer's own basket: quantities are added, each line
 * capped by the product's stock and the line limit; lines of withdrawn products are dropped. The anonymous basket
 * is then deleted, so a second sign-in finds nothing to merge and nothing doubles.
 */
@Injectable()
export class BasketMergeService implements LoginHook, OnModuleInit {
  readonly name = 'basket-merge';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly hooks: LoginHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  /**
   * Reads the basket the replaced session named, even when that session was another user's and the new one starts
   * empty: only a basket of nobody (user_id NULL, checked under the lock) is merged, and only then does the new
   * session name it.
   */
  async afterLogin({ channelId, userId, session, replaced }: LoginEvent): Promise<void> {
    const named = replaced.data[BASKET_SESSION_KEY];
    if (typeof named !== 'number' || !Number.isSafeInteger(named)) return;
    const keep = await this.dataSource.transaction((m) => this.merge(m, channelId, userId, named));
    if (keep !== null && session.get(BASKET_SESSION_KEY) !== keep) {
      await this.sessions.set(session, channelId, BASKET_SESSION_KEY, keep);
    }
  }

  /** The basket the session should name afterwards, or null when there was no anonymous basket to merge. */
  private async merge(
    m: EntityManager,
    channelId: number,
    userId: number,
    anonymousId: number,
  ): Promise<number | null> {
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
    let lines = existing.length;
    for (const line of incoming) {
      const product = products.find((p) => p.id === line.productId);
      if (!product?.active) continue;
      const current = existing.find((item) => item.productId === line.productId);
      const quantity = Math.min((current?.quantity ?? 0) + line.quantity, LINE_QUANTITY_MAX, product.stock);
      if (current) {
        if (quantity > current.quantity) await items.update({ id: current.id }, { quantity });
        continue;
      }
      if (quantity < 1 || lines >= BASKET_LINES_MAX) continue;
      await items.save(
        items.create({ basketId: target.id, productId: line.productId, quantity, attributes: line.attributes }),
      );
      lines += 1;
    }
    await baskets.delete({ id: anonymous.id });
    await baskets.update({ id: target.id }, { modifiedDate: new Date() });
    return target.id;
  }
}
