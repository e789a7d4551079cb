import type { EntityManager } from 'typeorm';
import { type ReadPart, sqlRows } from '@app/database';
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
 * A basket's lines with their products and their prices in one currency, in one statement (oldest line first).
 * The price is read as minor units (`numeric(20,2)` times 100 is exact), so no amount goes through a string.
 */
export async function readBasketLines(m: EntityManager, basketId: number, currency: string): Promise<BasketLine[]> {
  const rows = await sqlRows<LineRow>(
    m,
    `SELECT bi."id", bi."product_id", p."sku", p."name", p."active", p."stock", bi."quantity", bi."attributes",
            (pp."amount" * 100)::bigint::text AS "unit_minor"
       FROM "basket_item" bi
       JOIN "product" p ON p."id" = bi."product_id"
       LEFT JOIN "product_price" pp ON pp."product_id" = bi."product_id" AND pp."currency" = $2
      WHERE bi."basket_id" = $1
      ORDER BY bi."id"`,
    [basketId, currency],
  );
  return rows.map(toLine);
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
       SELECT json_build_object('basket_id', chosen."id", 'owner_id', chosen."user_id", 'lines', coalesce((
         SELECT json_agg(json_build_object('id', bi."id", 'product_id', bi."product_id", 'sku', p."sku",
                  'name', p."name", 'active', p."active", 'stock', p."stock", 'quantity', bi."quantity",
                  'attributes', bi."attributes", 'unit_minor', (pp."amount" * 100)::bigint::text) ORDER BY bi."id")
           FROM "basket_item" bi
           JOIN "product" p ON p."id" = bi."product_id"
           LEFT JOIN "product_price" pp ON pp."product_id" = bi."product_id" AND pp."currency" = ${currency}::text
          WHERE bi."basket_id" = chosen."id"), '[]'::json))
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
