import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { MinorUnits } from '@app/common';
import { ProductPriceEntity } from '../entities/product-price.entity';
import { ProductEntity } from '../entities/product.entity';

/** A product's own fields, as the back office writes them. */
export interface ProductFields {
  sku: string;
  name: string;
  stock: number;
  active: boolean;
}

/** What a write did: the product's pk, or why it was not written. */
export type ProductWrite = { kind: 'written'; id: number } | { kind: 'sku_taken' } | { kind: 'not_found' };

function isSkuTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === 'product_channel_sku_uq';
}

/** The catalogue's tables (`product`, `product_price`): every read and write of products. */
@Injectable()
export class ProductRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of the channel's products with their prices, by pk; `sku` filters to that one. */
  page(channelId: number, sku: string | undefined, offset: number, limit: number): Promise<[ProductEntity[], number]> {
    return this.dataSource.getRepository(ProductEntity).findAndCount({
      where: { channelId, ...(sku ? { sku } : {}) },
      relations: { prices: true },
      order: { id: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** The channel's product with its prices; null when there is none. */
  byId(channelId: number, id: number): Promise<ProductEntity | null> {
    return this.dataSource
      .getRepository(ProductEntity)
      .findOne({ where: { id, channelId }, relations: { prices: true } });
  }

  /** Creates a product with its prices, one transaction; a SKU the channel has already is refused. */
  create(channelId: number, fields: ProductFields, prices: ReadonlyMap<string, MinorUnits>): Promise<ProductWrite> {
    return this.skuChecked(() =>
      this.dataSource.transaction(async (m): Promise<ProductWrite> => {
        if (await m.getRepository(ProductEntity).exists({ where: { channelId, sku: fields.sku } })) {
          return { kind: 'sku_taken' };
        }
        const saved = await m
          .getRepository(ProductEntity)
          .save(m.getRepository(ProductEntity).create({ channelId, ...fields }));
        await replacePrices(m, saved.id, prices);
        return { kind: 'written', id: saved.id };
      }),
    );
  }

  /**
   * Changes the fields given (the others keep their values) and, when given, replaces the prices; the row is locked
   * for the change. A SKU another product of the channel has is refused.
   */
  update(
    channelId: number,
    id: number,
    fields: Partial<ProductFields>,
    prices: ReadonlyMap<string, MinorUnits> | undefined,
  ): Promise<ProductWrite> {
    return this.skuChecked(() =>
      this.dataSource.transaction(async (m): Promise<ProductWrite> => {
        const row = await m
          .getRepository(ProductEntity)
          .findOne({ where: { id, channelId }, lock: { mode: 'pessimistic_write' } });
        if (!row) return { kind: 'not_found' };
        if (fields.sku !== undefined && fields.sku !== row.sku) {
          if (await m.getRepository(ProductEntity).exists({ where: { channelId, sku: fields.sku } })) {
            return { kind: 'sku_taken' };
          }
        }
        await m.getRepository(ProductEntity).update(
          { id: row.id },
          {
            sku: fields.sku ?? row.sku,
            name: fields.name ?? row.name,
            stock: fields.stock ?? row.stock,
            active: fields.active ?? row.active,
            modifiedDate: new Date(),
          },
        );
        if (prices) await replacePrices(m, row.id, prices);
        return { kind: 'written', id: row.id };
      }),
    );
  }

  /** Two concurrent writes of one SKU: the unique index decides, and the loser gets the same answer. */
  private async skuChecked(work: () => Promise<ProductWrite>): Promise<ProductWrite> {
    try {
      return await work();
    } catch (error) {
      if (isSkuTaken(error)) return { kind: 'sku_taken' };
      throw error;
    }
  }
}

async function replacePrices(
  m: EntityManager,
  productId: number,
  prices: ReadonlyMap<string, MinorUnits>,
): Promise<void> {
  await m.getRepository(ProductPriceEntity).delete({ productId });
  const rows = [...prices].map(([currency, amount]) => ({ productId, currency, amount }));
  if (rows.length > 0) await m.getRepository(ProductPriceEntity).insert(rows);
}
