import { BASKET_LINES_MAX, LINE_QUANTITY_MAX } from '../dtos/basket.dto';
import type { BasketItemEntity } from '../entities/basket-item.entity';
import type { ProductEntity } from '../entities/product.entity';
import { mergePlan } from './basket-merge.service';

const line = (id: number, productId: number, quantity: number): BasketItemEntity =>
  ({ id, productId, quantity, attributes: { gift: id } }) as unknown as BasketItemEntity;
const product = (id: number, stock: number, active = true): ProductEntity =>
  ({ id, stock, active }) as unknown as ProductEntity;

describe(mergePlan.name, () => {
  it('adds the incoming quantity to the customer’s line, capped by the stock', () => {
    const plan = mergePlan([line(1, 7, 3)], [line(9, 7, 2)], [product(7, 4)]);
    expect(plan).toEqual({ raise: [{ id: 9, quantity: 4 }], add: [] });
  });

  it('caps a line at the line limit and never lowers a line', () => {
    expect(mergePlan([line(1, 7, LINE_QUANTITY_MAX)], [line(9, 7, 1)], [product(7, 10_000)]).raise).toEqual([
      { id: 9, quantity: LINE_QUANTITY_MAX },
    ]);
    expect(mergePlan([line(1, 7, 2)], [line(9, 7, 5)], [product(7, 3)])).toEqual({ raise: [], add: [] });
  });

  it('adds a new line with its attributes, and drops a withdrawn or out-of-stock product’s line', () => {
    const plan = mergePlan(
      [line(1, 7, 2), line(2, 8, 1), line(3, 9, 1)],
      [],
      [product(7, 5), product(8, 5, false), product(9, 0)],
    );
    expect(plan).toEqual({ raise: [], add: [{ productId: 7, quantity: 2, attributes: { gift: 1 } }] });
  });

  it('adds no line past the basket’s line limit', () => {
    const existing = Array.from({ length: BASKET_LINES_MAX - 1 }, (_, i) => line(100 + i, 1000 + i, 1));
    const plan = mergePlan([line(1, 7, 1), line(2, 8, 1)], existing, [product(7, 5), product(8, 5)]);
    expect(plan.add.map((a) => a.productId)).toEqual([7]);
  });
});
