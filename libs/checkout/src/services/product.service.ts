import { Injectable } from '@nestjs/common';
import { type MinorUnits, type Page, parseAmount, toPage, isPk } from '@app/common';
import type { Channel } from '@app/identity';
import type {
  ProductCreateDto,
  ProductListQueryDto,
  ProductPriceDto,
  ProductResponseDto,
  ProductUpdateDto,
} from '../dtos/product.dto';
import { toProductResponse } from '../checkout.mapper';
import {
  PriceAmountInvalidError,
  PriceCurrencyNotSoldError,
  PriceCurrencyRepeatedError,
  PriceTooHighError,
  ProductNotFoundError,
  SkuTakenError,
} from '../errors';
import { ProductRepository, type ProductWrite } from '../repositories/product.repository';

/** The highest unit price: a basket line (100 units) and a basket (50 lines) stay far inside numeric(20,2). */
export const PRICE_MAX_MINOR: MinorUnits = 100_000_000_000n; // 1,000,000,000.00

/** The back-office catalogue: products of a channel with a price per currency the channel sells in. */
@Injectable()
export class ProductService {
  constructor(private readonly products: ProductRepository) {}

  async list(channel: Channel, query: ProductListQueryDto, url: URL): Promise<Page<ProductResponseDto>> {
    const [rows, count] = await this.products.page(channel.id, query.sku, query.offset, query.page_size);
    return toPage(rows.map(toProductResponse), count, query, url);
  }

  async get(channel: Channel, pk: number): Promise<ProductResponseDto> {
    if (!isPk(pk)) throw new ProductNotFoundError();
    const row = await this.products.byId(channel.id, pk);
    if (!row) throw new ProductNotFoundError();
    return toProductResponse(row);
  }

  async create(channel: Channel, dto: ProductCreateDto): Promise<ProductResponseDto> {
    const prices = this.checkPrices(channel, dto.prices);
    const fields = { sku: dto.sku, name: dto.name, stock: dto.stock, active: dto.active ?? true };
    return this.get(channel, written(await this.products.create(channel.id, fields, prices)));
  }

  async update(channel: Channel, pk: number, dto: ProductUpdateDto): Promise<ProductResponseDto> {
    if (!isPk(pk)) throw new ProductNotFoundError();
    const prices = dto.prices === undefined ? undefined : this.checkPrices(channel, dto.prices);
    const fields = { sku: dto.sku, name: dto.name, stock: dto.stock, active: dto.active };
    return this.get(channel, written(await this.products.update(channel.id, pk, fields, prices)));
  }

  /** Prices in currencies the channel sells in, one per currency, each within PRICE_MAX_MINOR. */
  private checkPrices(channel: Channel, prices: readonly ProductPriceDto[]): Map<string, MinorUnits> {
    const result = new Map<string, MinorUnits>();
    for (const price of prices) {
      if (!channel.currencies.includes(price.currency)) throw new PriceCurrencyNotSoldError(price.currency);
      if (result.has(price.currency)) throw new PriceCurrencyRepeatedError(price.currency);
      const parsed = parseAmount(price.amount);
      if (!parsed.ok || parsed.minor <= 0n) throw new PriceAmountInvalidError(price.currency);
      if (parsed.minor > PRICE_MAX_MINOR) throw new PriceTooHighError(price.currency, PRICE_MAX_MINOR);
      result.set(price.currency, parsed.minor);
    }
    return result;
  }
}

/** The pk of a product written; a refused write as its error. */
function written(outcome: ProductWrite): number {
  switch (outcome.kind) {
    case 'written':
      return outcome.id;
    case 'sku_taken':
      throw new SkuTakenError();
    case 'not_found':
      throw new ProductNotFoundError();
  }
}
