import { formatAmount } from '@app/common';
import type { BasketEnvelopeResponseDto } from '../dtos/basket.dto';
import type { PricedBasket } from './basket-pricing';

/** The contract's basket envelope of a priced basket: the only place its amounts become strings. */
export function toBasketEnvelope(basket: PricedBasket): BasketEnvelopeResponseDto {
  const currency = basket.currency;
  return {
    basket: {
      pk: basket.basketId,
      basketitem_set: basket.lines.map((line) => ({
        id: line.id,
        product: {
          pk: line.productId,
          sku: line.sku,
          name: line.name,
          price: formatAmount(line.unitPrice),
          currency_type: currency,
        },
        quantity: line.quantity,
        unit_price: formatAmount(line.unitPrice),
        price: formatAmount(line.unitPrice),
        total_amount: formatAmount(line.lineTotal),
        currency_type: currency,
        attributes: line.attributes,
      })),
      total_amount: formatAmount(basket.total),
      total_quantity: basket.quantity,
      total_product_amount: formatAmount(basket.total),
      total_discount_amount: formatAmount(0n),
      currency_type: currency,
    },
  };
}
