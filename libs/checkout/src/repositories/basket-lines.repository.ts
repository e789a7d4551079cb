import type { DataSource, EntityManager } from 'typeorm';
import { preparedRows, raisedRefusal, type ReadPart, readTogether } from '@app/database';
import { BASKET_LINES_MAX, LINE_QUANTITY_MAX } from '../dtos/basket.dto';
import {
  BasketLinesExceededError,
  InsufficientStockError,
  LineQuantityTooLargeError,
  PriceMissingError,
  ProductUnavailableError,
} from '../errors';
import type { BasketLine } from '../pricing/basket-pricing';

interface LineRow {
  id: number;
  product_id: number;
  sku: string;
  name: string;
  active: boolean;
  stock: number;
  quantity: number;
  attributes: Record<string, unknown>;
  unit_minor: string | null;
}

/**
 * A basket's lines with their products and their prices in one currency, oldest line first, as one json array.
 * The price is read as minor units (`numeric(20,2)` times 100 is exact) in text, so no amount goes through a float.
 */
function linesJsonSql(basket: string, currency: string): string {
  return `coalesce((
    SELECT json_agg(json_build_object('id', bi."id", 'product_id', bi."product_id", 'sku', p."sku", 'name', p."name",
             'active', p."active", 'stock', p."stock", 'quantity', bi."quantity", 'attributes', bi."attributes",
             'unit_minor', (pp."amount" * 100)::bigint::text) ORDER BY bi."id")
      FROM "basket_item" bi
      JOIN "product" p ON p."id" = bi."product_id"
      LEFT JOIN "product_price" pp ON pp."product_id" = bi."product_id" AND pp."currency" = ${currency}
     WHERE bi."basket_id" = ${basket}), '[]'::json)`;
}

/** A basket's lines (see linesJsonSql), as a part of one statement (`readTogether`). */
export function basketLinesPart(basketId: number, currency: string): ReadPart<BasketLine[]> {
  return {
    sql: (arg) => `SELECT ${linesJsonSql(`${arg(basketId)}::integer`, `${arg(currency)}::text`)}`,
    map: (value) => (value as LineRow[]).map(toLine),
  };
}

/** A basket's lines, read on `on` (a transaction's manager reads inside it). */
export async function readBasketLines(
  on: DataSource | EntityManager,
  basketId: number,
  currency: string,
): Promise<BasketLine[]> {
  return (await readTogether(on, { lines: basketLinesPart(basketId, currency) })).lines;
}

/** Which basket a caller has: the one the session names (if the caller may use it), else the user's latest. */
export interface BasketOfCaller {
  channelId: number;
  /** The basket id the session names, if any. */
  namedId: number | null;
  /** The signed-in user, or null for a visitor. */
  userId: number | null;
  currency: string;
}

/** The caller's basket with its lines, as `callerBasketPart` reads it. */
export interface CallerBasket {
  basketId: number;
  /** Null: an anonymous basket (a signed-in caller is to take it over: BasketService does that). */
  ownerId: number | null;
  lines: BasketLine[];
}

/**
 * The caller's basket and its priced lines: the session's basket when it is the caller's (or anonymous), else the
 * signed-in user's most recently changed one; null when there is none. A part of one statement (`readTogether`):
 * the checkout pages read it with the addresses, the settings and the balance.
 */
export function callerBasketPart(caller: BasketOfCaller): ReadPart<CallerBasket | null> {
  return {
    sql: (arg) => {
      const named = arg(caller.namedId);
      const channel = arg(caller.channelId);
      const user = arg(caller.userId);
      const currency = arg(caller.currency);
      return `WITH chosen AS (
         SELECT c."id", c."user_id" FROM (
           (SELECT b."id", b."user_id", 0 AS "rank" FROM "basket" b
             WHERE b."id" = ${named}::integer AND b."channel_id" = ${channel}::integer
               AND (b."user_id" IS NULL OR b."user_id" = ${user}::integer))
           UNION ALL
           (SELECT b."id", b."user_id", 1 AS "rank" FROM "basket" b
             WHERE ${user}::integer IS NOT NULL AND b."channel_id" = ${channel}::integer AND b."user_id" = ${user}::integer
             ORDER BY b."modified_date" DESC, b."id" DESC LIMIT 1)
         ) c ORDER BY c."rank" LIMIT 1
       )
       SELECT json_build_object('basket_id', chosen."id", 'owner_id', chosen."user_id",
                                'lines', ${linesJsonSql('chosen."id"', `${currency}::text`)})
         FROM chosen`;
    },
    map: (value) => {
      if (value === null) return null;
      const found = value as { basket_id: number; owner_id: number | null; lines: LineRow[] };
      return { basketId: found.basket_id, ownerId: found.owner_id, lines: found.lines.map(toLine) };
    },
  };
}

function toLine(row: LineRow): BasketLine {
  return {
    id: row.id,
    productId: row.product_id,
    sku: row.sku,
    name: row.name,
    active: row.active,
    stock: row.stock,
    quantity: row.quantity,
    attributes: row.attributes,
    unitPrice: row.unit_minor === null ? null : BigInt(row.unit_minor),
  };
}

/** A line to add to (or set in) a basket: `basket_set_line`'s arguments. */
export interface BasketLineChange {
  basketId: number;
  channelId: number;
  productId: number;
  currency: string;
  quantity: number;
  /** Add to the line's quantity (true) or set it. */
  add: boolean;
  /** The line's attributes; undefined keeps a line's own (a new line gets `{}`). */
  attributes: Record<string, unknown> | undefined;
}

/**
 * Adds units of a product to a basket, or sets a line's quantity, in one statement (`basket_set_line`, migration
 * 1765060000000): under the basket row's lock, with the product, the line limit, the stock and the basket's line
 * count checked there. A refusal writes nothing and becomes the checkout's error.
 */
export async function setBasketLine(dataSource: DataSource, change: BasketLineChange): Promise<void> {
  try {
    await preparedRows(
      dataSource,
      'basket_set_line',
      `SELECT "basket_set_line"($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [
        change.basketId,
        change.channelId,
        change.productId,
        change.currency,
        change.quantity,
        change.add,
        change.attributes === undefined ? null : JSON.stringify(change.attributes),
        LINE_QUANTITY_MAX,
        BASKET_LINES_MAX,
      ],
    );
  } catch (error) {
    throw basketRefusal(error, change.currency) ?? error;
  }
}

/** The basket went away between finding it and writing its line (a sign-in merged it into the user's basket). */
export class BasketGoneError extends Error {
  constructor() {
    super('the basket went away before its line was written');
    this.name = 'BasketGoneError';
  }
}

function basketRefusal(error: unknown, currency: string): Error | undefined {
  const raised = raisedRefusal(error, 'BSK00');
  switch (raised?.code ?? '') {
    case 'basket_missing':
      return new BasketGoneError();
    case 'product_unavailable':
      return new ProductUnavailableError();
    case 'price_missing':
      return new PriceMissingError(currency);
    case 'quantity_too_large':
      return new LineQuantityTooLargeError(LINE_QUANTITY_MAX);
    case 'insufficient_stock':
      return new InsufficientStockError(Number(raised?.detail ?? 0));
    case 'lines_exceeded':
      return new BasketLinesExceededError(BASKET_LINES_MAX);
    default:
      return undefined;
  }
}
