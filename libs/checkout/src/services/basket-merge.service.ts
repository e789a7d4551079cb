import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isPk } from '@app/common';
import { type LoginEvent, type LoginHook, LoginHooks, SessionService } from '@app/identity';
import { BASKET_LINES_MAX, LINE_QUANTITY_MAX } from '../dtos/basket.dto';
import type { BasketItemEntity } from '../entities/basket-item.entity';
import type { ProductEntity } from '../entities/product.entity';
import { BasketMergeRepository, type MergePlan } from '../repositories/basket-merge.repository';
import { BASKET_SESSION_KEY } from './basket.service';

/**
 * The merge rule: quantities are added, each line capped by the product's stock and the line limit; lines of
 * withdrawn products are dropped, and no line is added past the basket's line limit.
 */
export function mergePlan(
  incoming: readonly BasketItemEntity[],
  existing: readonly BasketItemEntity[],
  products: readonly ProductEntity[],
): MergePlan {
  const plan: MergePlan = { raise: [], add: [] };
  let lines = existing.length;
  for (const line of incoming) {
    const product = products.find((p) => p.id === line.productId);
    if (!product?.active) continue;
    const current = existing.find((item) => item.productId === line.productId);
    const quantity = Math.min((current?.quantity ?? 0) + line.quantity, LINE_QUANTITY_MAX, product.stock);
    if (current) {
      if (quantity > current.quantity) plan.raise.push({ id: current.id, quantity });
      continue;
    }
    if (quantity < 1 || lines >= BASKET_LINES_MAX) continue;
    plan.add.push({ productId: line.productId, quantity, attributes: line.attributes });
    lines += 1;
  }
  return plan;
}

/**
 * At sign-in, the anonymous session's basket joins the customer's own basket: quantities are added, each line
 * capped by the product's stock and the line limit; lines of withdrawn products are dropped. The anonymous basket
 * is then deleted, so a second sign-in finds nothing to merge and nothing doubles.
 */
@Injectable()
export class BasketMergeService implements LoginHook, OnModuleInit {
  readonly name = 'basket-merge';

  constructor(
    private readonly baskets: BasketMergeRepository,
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
    if (!isPk(named)) return;
    const keep = await this.baskets.merge(channelId, userId, named, mergePlan);
    if (keep !== null && session.get(BASKET_SESSION_KEY) !== keep) {
      await this.sessions.set(session, channelId, BASKET_SESSION_KEY, keep);
    }
  }
}
