import type { EntityManager } from 'typeorm';
import { sqlRows } from '@app/database';
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

/**
 * The caller's basket and its priced lines in one statement: the session's basket when it is the caller's (or
 * anonymous), else the signed-in user's most recently changed one. `ownerId` null with a signed-in caller means an
 * anonymous basket the user is to take over (BasketService does that).
 */
export async function readCallerBasket(
  m: EntityManager,
  caller: BasketOfCaller,
): Promise<{ basketId: number; ownerId: number | null; lines: BasketLine[] } | null> {
  const rows = await sqlRows<LineRow & { basket_id: number; owner_id: number | null }>(
    m,
    `WITH chosen AS (
       SELECT c."id", c."user_id" FROM (
         (SELECT b."id", b."user_id", 0 AS "rank" FROM "basket" b
           WHERE b."id" = $1 AND b."channel_id" = $2 AND (b."user_id" IS NULL OR b."user_id" = $3))
         UNION ALL
         (SELECT b."id", b."user_id", 1 AS "rank" FROM "basket" b
           WHERE $3::integer IS NOT NULL AND b."channel_id" = $2 AND b."user_id" = $3
           ORDER BY b."modified_date" DESC, b."id" DESC LIMIT 1)
       ) c ORDER BY c."rank" LIMIT 1
     )
     SELECT chosen."id" AS "basket_id", chosen."user_id" AS "owner_id",
            bi."id", bi."product_id", p."sku", p."name", p."active", p."stock", bi."quantity", bi."attributes",
            (pp."amount" * 100)::bigint::text AS "unit_minor"
       FROM chosen
       LEFT JOIN "basket_item" bi ON bi."basket_id" = chosen."id"
       LEFT JOIN "product" p ON p."id" = bi."product_id"
       LEFT JOIN "product_price" pp ON pp."product_id" = bi."product_id" AND pp."currency" = $4
      ORDER BY bi."id"`,
    [caller.namedId, caller.channelId, caller.userId, caller.currency],
  );
  const first = rows[0];
  if (!first) return null;
  const lines = rows.filter((row) => row.id !== null).map(toLine);
  return { basketId: first.basket_id, ownerId: first.owner_id, lines };
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
