import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import {
  type MinorUnits,
  type Page,
  parseAmount,
  toPage,
  ValidationFailedError,
  formatAmount,
  INT4_MAX,
} from '@app/common';
import type { Channel } from '@app/identity';
import type {
  ProductCreateDto,
  ProductListQueryDto,
  ProductPriceDto,
  ProductResponseDto,
  ProductUpdateDto,
} from '../dtos/product.dto';
import { ProductPriceEntity } from '../entities/product-price.entity';
import { ProductEntity } from '../entities/product.entity';
import { ProductNotFoundError } from '../errors';

/** The highest unit price: a basket line (100 units) and a basket (50 lines) stay far inside numeric(20,2). */
export const PRICE_MAX_MINOR: MinorUnits = 100_000_000_000n; // 1,000,000,000.00

function isSkuTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === 'product_channel_sku_uq';
}

export function toProductResponse(row: ProductEntity): ProductResponseDto {
  const prices = [...(row.prices ?? [])].sort((a, b) => a.currency.localeCompare(b.currency));
  return {
    pk: row.id,
    sku: row.sku,
    name: row.name,
    prices: prices.map((p) => ({ currency: p.currency, amount: formatAmount(p.amount) })),
    stock: row.stock,
    active: row.active,
    created_date: row.createdDate.toISOString(),
    modified_date: row.modifiedDate.toISOString(),
  };
}

/** The back-office catalogue: products of a channel with a price per currency the channel sells in. */
@Injectable()
export class ProductService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(channel: Channel, query: ProductListQueryDto, url: URL): Promise<Page<ProductResponseDto>> {
    const [rows, count] = await this.dataSource.getRepository(ProductEntity).findAndCount({
      where: { channelId: channel.id, ...(query.sku ? { sku: query.sku } : {}) },
      relations: { prices: true },
      order: { id: 'ASC' },
      skip: query.offset,
      take: query.page_size,
    });
    return toPage(rows.map(toProductResponse), count, query, url);
  }

  async get(channel: Channel, pk: number): Promise<ProductResponseDto> {
    return toProductResponse(await this.find(this.dataSource.manager, channel, pk));
  }

  async create(channel: Channel, dto: ProductCreateDto): Promise<ProductResponseDto> {
    const prices = this.checkPrices(channel, dto.prices);
    const id = await this.withSkuCheck(() =>
      this.dataSource.transaction(async (m) => {
        const taken = await m.getRepository(ProductEntity).exists({ where: { channelId: channel.id, sku: dto.sku } });
        if (taken) throw ValidationFailedError.forField('sku', 'checkout.sku_taken');
        const saved = await m.getRepository(ProductEntity).save(
          m.getRepository(ProductEntity).create({
            channelId: channel.id,
            sku: dto.sku,
            name: dto.name,
            stock: dto.stock,
            active: dto.active ?? true,
          }),
        );
        await this.replacePrices(m, saved.id, prices);
        return saved.id;
      }),
    );
    return this.get(channel, id);
  }

  async update(channel: Channel, pk: number, dto: ProductUpdateDto): Promise<ProductResponseDto> {
    const prices = dto.prices === undefined ? undefined : this.checkPrices(channel, dto.prices);
    await this.withSkuCheck(() =>
      this.dataSource.transaction(async (m) => {
        const row = await this.find(m, channel, pk, true);
        if (dto.sku !== undefined && dto.sku !== row.sku) {
          const taken = await m.getRepository(ProductEntity).exists({ where: { channelId: channel.id, sku: dto.sku } });
          if (taken) throw ValidationFailedError.forField('sku', 'checkout.sku_taken');
        }
        await m.getRepository(ProductEntity).update(
          { id: row.id },
          {
            sku: dto.sku ?? row.sku,
            name: dto.name ?? row.name,
            stock: dto.stock ?? row.stock,
            active: dto.active ?? row.active,
            modifiedDate: new Date(),
          },
        );
        if (prices) await this.replacePrices(m, row.id, prices);
      }),
    );
    return this.get(channel, pk);
  }

  private async find(m: EntityManager, channel: Channel, pk: number, lock = false): Promise<ProductEntity> {
    if (!Number.isSafeInteger(pk) || pk < 1 || pk > INT4_MAX) throw new ProductNotFoundError();
    const row = lock
      ? await m
          .getRepository(ProductEntity)
          .findOne({ where: { id: pk, channelId: channel.id }, lock: { mode: 'pessimistic_write' } })
      : await m
          .getRepository(ProductEntity)
          .findOne({ where: { id: pk, channelId: channel.id }, relations: { prices: true } });
    if (!row) throw new ProductNotFoundError();
    return row;
  }

  /** Prices in currencies the channel sells in, one per currency, each within PRICE_MAX_MINOR. */
  private checkPrices(channel: Channel, prices: readonly ProductPriceDto[]): Map<string, MinorUnits> {
    const result = new Map<string, MinorUnits>();
    for (const price of prices) {
      if (!channel.currencies.includes(price.currency)) {
        throw ValidationFailedError.forField('prices', 'checkout.currency_not_sold', { currency: price.currency });
      }
      if (result.has(price.currency)) throw ValidationFailedError.forField('prices', 'checkout.currency_repeated');
      const parsed = parseAmount(price.amount);
      if (!parsed.ok || parsed.minor <= 0n) throw ValidationFailedError.forField('prices', 'validation.amount_invalid');
      if (parsed.minor > PRICE_MAX_MINOR) {
        throw ValidationFailedError.forField('prices', 'validation.amount_too_large', {
          max: formatAmount(PRICE_MAX_MINOR),
        });
      }
      result.set(price.currency, parsed.minor);
    }
    return result;
  }

  private async replacePrices(m: EntityManager, productId: number, prices: Map<string, MinorUnits>): Promise<void> {
    await m.getRepository(ProductPriceEntity).delete({ productId });
    const rows = [...prices].map(([currency, amount]) => ({ productId, currency, amount }));
    if (rows.length > 0) await m.getRepository(ProductPriceEntity).insert(rows);
  }

  /** Two concurrent creates of one SKU: the unique index decides, and the loser gets the same field error. */
  private async withSkuCheck<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isSkuTaken(error)) throw ValidationFailedError.forField('sku', 'checkout.sku_taken');
      throw error;
    }
  }
}
