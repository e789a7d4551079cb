import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MinorUnits } from '@app/common';
import { readTogether } from '@app/database';
import type { StorefrontRequestContext } from '@app/identity';
import { userBalancePart } from '@app/ledger';
import { type DynamicSettings, settingsPart } from '@app/settings';
import type { AddressEntity } from '../entities/address.entity';
import type { OrderEntity } from '../entities/order.entity';
import { userAddressesPart } from './address.repository';
import { type BasketOfCaller, type CallerBasket, callerBasketPart } from './basket-lines.repository';
import { latestOrderPart } from './order.repository';

/** What a page reads at once (CheckoutPageRepository.read). */
export interface PageRead {
  basket: CallerBasket | null;
  settings: DynamicSettings;
  /** The signed-in caller's addresses (at most ADDRESSES_MAX); none for a visitor. */
  addresses: AddressEntity[];
  /** The signed-in caller's store-credit balance in the request's currency; 0 for a visitor. */
  balance: MinorUnits;
  /** The caller's latest order (null: none), when asked for (the final page); undefined when not. */
  latestOrder: OrderEntity | null | undefined;
}

/** The checkout page's one read: several libs' parts as one statement (readTogether). */
@Injectable()
export class CheckoutPageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Everything a page may need, in one statement: the caller's basket, the settings and, for a signed-in caller,
   * their addresses and balance. A round trip is what a page mostly costs, more than reading a little it does not
   * use (docs/benchmarks.md). `basket` says which basket is the caller's (basketOfCaller).
   */
  async read(ctx: StorefrontRequestContext, basket: BasketOfCaller, withLatestOrder = false): Promise<PageRead> {
    const common = {
      basket: callerBasketPart(basket),
      settings: settingsPart(ctx.channel.id),
    };
    const addresses = ctx.user ? userAddressesPart(this.dataSource, ctx.channel.id, ctx.user.id) : undefined;
    if (!ctx.user || !addresses) {
      return { ...(await readTogether(this.dataSource, common)), addresses: [], balance: 0n, latestOrder: undefined };
    }
    const forUser = {
      ...common,
      addresses,
      balance: userBalancePart(ctx.channel.id, ctx.user.id, ctx.currency),
    };
    if (!withLatestOrder) return { ...(await readTogether(this.dataSource, forUser)), latestOrder: undefined };
    return readTogether(this.dataSource, {
      ...forUser,
      latestOrder: latestOrderPart(this.dataSource, ctx.channel.id, ctx.user.id),
    });
  }
}
