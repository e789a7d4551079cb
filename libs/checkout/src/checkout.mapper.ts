import { createHash } from 'node:crypto';
import { formatAmount } from '@app/common';
import { toCity, toCountry, toDistrict, toTownship } from '@app/geography';
import type { TransactionView } from '@app/ledger';
import type { AddressResponseDto } from './dtos/address.dto';
import type { BasketEnvelopeResponseDto } from './dtos/basket.dto';
import type { CompletedOrderDto } from './dtos/checkout.dto';
import type { OrderAdminResponseDto, OrderLoyaltyTransactionDto, OrderPaymentStateDto } from './dtos/order.dto';
import type { ProductResponseDto } from './dtos/product.dto';
import type { AddressEntity } from './entities/address.entity';
import type { CardChargeEntity } from './entities/card-charge.entity';
import type { OrderEntity } from './entities/order.entity';
import type { ProductEntity } from './entities/product.entity';
import { PAYMENT_OPTIONS } from './checkout-pages/payment-options';
import type { PricedBasket } from './pricing/basket-pricing';

/*
 * Where checkout's entities (and its priced basket) become the contract's response shapes: the one place their
 * amounts become decimal strings and their dates ISO text. The checkout pages' `pre_order` builds on these
 * (checkout-pages/pre-order.ts).
 */

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

/** The contract's address. The place objects nest the address's own city and country (a row never moves). */
export function toAddressResponse(row: AddressEntity): AddressResponseDto {
  const country = row.country ?? null;
  const city = row.city && country ? row.city : null;
  const township = row.township && city && country ? row.township : null;
  const content = {
    title: row.title,
    first_name: row.firstName,
    last_name: row.lastName,
    phone_number: row.phoneNumber,
    email: row.email,
    line: row.line,
    postcode: row.postcode,
    country: country ? toCountry(country) : null,
    city: city && country ? toCity(city, country) : null,
    township: township && city && country ? toTownship(township, city, country) : null,
    district: row.district && township ? toDistrict(row.district, township.cityId) : null,
    is_corporate: row.isCorporate ? 'true' : 'false',
    address_type: row.isCorporate ? 'corporate' : 'personal',
    company_name: row.companyName,
    tax_no: row.taxNo,
    tax_office: row.taxOffice,
    e_bill_taxpayer: row.eBillTaxpayer,
    identity_number: row.identityNumber,
  };
  const places = [row.countryId, row.cityId, row.townshipId, row.districtId];
  return {
    pk: row.id,
    ...content,
    primary: row.primary,
    user: { pk: row.userId },
    notes: row.notes,
    extra_field: {},
    remote_id: null,
    retail_store: null,
    // The content a delivery depends on, so a client can tell two addresses (or two versions) apart.
    hash_data: createHash('sha256')
      .update(JSON.stringify([{ ...content, country: null, city: null, township: null, district: null }, places]))
      .digest('hex'),
    created_date: row.createdDate.toISOString(),
    modified_date: row.modifiedDate.toISOString(),
  };
}

/** The one order shape of the storefront: the thank-you page's order and the order history use it alike. */
export function toOrderResponse(order: OrderEntity): CompletedOrderDto {
  return {
    pk: order.id,
    number: order.number,
    amount: formatAmount(order.totalAmount),
    loyalty_amount: formatAmount(order.loyaltyAmount),
    card_amount: formatAmount(order.cardAmount),
    status: order.status,
    currency: order.currency,
    orderitem_set: order.items.map((item) => ({ ...item })),
    // An option retired later still shows its slug.
    payment_option: {
      ...(PAYMENT_OPTIONS.find((o) => o.slug === order.paymentOption) ?? { slug: order.paymentOption }),
    },
    installment_count: order.installmentCount,
    interest_amount: formatAmount(order.interestAmount),
    card_last4: order.cardLast4,
    card_type: order.cardType,
    created_date: order.createdDate.toISOString(),
    shipping_address: order.shippingAddress,
    billing_address: order.billingAddress,
  };
}

/** The back office's order: the storefront's shape, with the customer and what became of the order. */
export function toOrderAdminResponse(order: OrderEntity): OrderAdminResponseDto {
  return Object.assign(toOrderResponse(order), {
    user: order.userId,
    user_email: order.user?.email ?? null,
    modified_date: order.modifiedDate.toISOString(),
    cancel_reason: order.cancelReason,
    cancel_detail: order.cancelDetail,
  });
}

/** A store-credit transaction of an order (its payment, refunds, earning), as the back office's order shows it. */
export function toOrderLoyaltyTransaction(view: TransactionView): OrderLoyaltyTransactionDto {
  return {
    uuid: view.uuid,
    kind: view.kind,
    amount: formatAmount(view.amount_minor),
    earning_shortfall: formatAmount(view.earning_shortfall_minor),
    currency: view.currency,
    created_date: view.created_date.toISOString(),
  };
}

/** Where an order's payment stands: its card charge (if any), its store-credit payment, staff's settlement. */
export function toOrderPaymentState(
  order: OrderEntity,
  charge: CardChargeEntity | null,
  loyalty: readonly OrderLoyaltyTransactionDto[],
): OrderPaymentStateDto {
  return {
    card_charge: charge && {
      status: charge.status,
      amount: formatAmount(charge.amount),
      reference: charge.reference,
      gateway: charge.gateway,
      decline_reason: charge.declineReason,
    },
    loyalty_payment_uuid: loyalty.find((x) => x.kind === 'order_payment')?.uuid ?? null,
    review_reason: order.reviewReason,
    settlement:
      order.settledAction && order.settledAt && order.settledBy !== null
        ? {
            action: order.settledAction,
            reason: order.settledReason ?? '',
            settled_by: order.settledBy,
            settled_at: order.settledAt.toISOString(),
          }
        : null,
  };
}

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
