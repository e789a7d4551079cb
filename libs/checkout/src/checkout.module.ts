import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, Clock } from '@app/common';
import { GeographyModule } from '@app/geography';
import { IdentityModule } from '@app/identity';
import { AddressEntity } from './entities/address.entity';
import { CardChargeEntity } from './entities/card-charge.entity';
import { BasketItemEntity } from './entities/basket-item.entity';
import { BasketEntity } from './entities/basket.entity';
import { OrderEntity } from './entities/order.entity';
import { ProductPriceEntity } from './entities/product-price.entity';
import { ProductEntity } from './entities/product.entity';
import { SandboxCardChargeEntity } from './entities/sandbox-card-charge.entity';
import { OrderHistoryService } from './orders/order-history.service';
import { OrderRepository } from './repositories/order.repository';
import { ProductRepository } from './repositories/product.repository';
import { OrderLedgerLookup } from './orders/order-ledger-lookup';
import { CARD_GATEWAY, type CardGateway } from './payments/card-gateway';
import { CardPaymentService } from './payments/card-payment.service';
import { PaymentConfig } from './payments/payment.config';
import { SandboxCardGateway } from './payments/sandbox-card-gateway';
import { SandboxChargeRepository } from './repositories/sandbox-charge.repository';
import { AddressRepository } from './repositories/address.repository';
import { CardChargeRepository } from './repositories/card-charge.repository';
import { BasketMergeRepository } from './repositories/basket-merge.repository';
import { BasketRepository } from './repositories/basket.repository';
import { OrderStateRepository } from './repositories/order-state.repository';
import { AddressService } from './services/address.service';
import { BasketMergeService } from './services/basket-merge.service';
import { BasketService } from './services/basket.service';
import { ProductService } from './services/product.service';

const ENTITIES = [
  ProductEntity,
  ProductPriceEntity,
  BasketEntity,
  BasketItemEntity,
  AddressEntity,
  OrderEntity,
  CardChargeEntity,
  SandboxCardChargeEntity,
];

/** Catalogue, basket, addresses and card payment of the storefront's checkout. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), IdentityModule, GeographyModule],
  providers: [
    ProductRepository,
    ProductService,
    BasketService,
    BasketMergeService,
    AddressRepository,
    CardChargeRepository,
    BasketMergeRepository,
    BasketRepository,
    OrderStateRepository,
    AddressService,
    OrderLedgerLookup,
    OrderHistoryService,
    OrderRepository,
    SandboxChargeRepository,
    { provide: PaymentConfig, inject: [AppConfig], useFactory: (config: AppConfig) => new PaymentConfig(config.env) },
    {
      provide: CARD_GATEWAY,
      inject: [PaymentConfig, Clock, SandboxChargeRepository],
      // One gateway today; PAYMENT_GATEWAY names which, so a real one is added here without touching checkout.
      useFactory: (config: PaymentConfig, clock: Clock, sandboxCharges: SandboxChargeRepository): CardGateway => {
        switch (config.gateway) {
          case 'sandbox':
            return new SandboxCardGateway(clock, sandboxCharges);
        }
      },
    },
    CardPaymentService,
  ],
  exports: [
    ProductService,
    BasketService,
    AddressService,
    OrderLedgerLookup,
    OrderHistoryService,
    OrderRepository,
    OrderStateRepository,
    CardPaymentService,
    CARD_GATEWAY,
  ],
})
export class CheckoutModule {}
