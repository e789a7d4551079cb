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
  return rows.map((row) => ({
    id: row.id,
    productId: row.product_id,
    sku: row.sku,
    name: row.name,
    active: row.active,
    stock: row.stock,
    quantity: row.quantity,
    attributes: row.attributes,
    unitPrice: row.unit_minor === null ? null : BigInt(row.unit_minor),
  }));
}
