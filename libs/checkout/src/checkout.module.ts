import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { AddressEntity } from './entities/address.entity';
import { BasketItemEntity } from './entities/basket-item.entity';
import { BasketEntity } from './entities/basket.entity';
import { OrderEntity } from './entities/order.entity';
import { ProductPriceEntity } from './entities/product-price.entity';
import { ProductEntity } from './entities/product.entity';
import { OrderHistoryService } from './orders/order-history.service';
import { OrderLedgerLookup } from './orders/order-ledger-lookup';
import { AddressService } from './services/address.service';
import { BasketMergeService } from './services/basket-merge.service';
import { BasketService } from './services/basket.service';
import { ProductService } from './services/product.service';

const ENTITIES = [ProductEntity, ProductPriceEntity, BasketEntity, BasketItemEntity, AddressEntity, OrderEntity];

/** Catalogue, basket and addresses of the storefront's checkout. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), IdentityModule],
  providers: [
    ProductService,
    BasketService,
    BasketMergeService,
    AddressService,
    OrderLedgerLookup,
    OrderHistoryService,
  ],
  exports: [ProductService, BasketService, AddressService, OrderLedgerLookup, OrderHistoryService],
})
export class CheckoutModule {}
