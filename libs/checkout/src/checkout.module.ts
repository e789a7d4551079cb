import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { BasketItemEntity } from './entities/basket-item.entity';
import { BasketEntity } from './entities/basket.entity';
import { ProductPriceEntity } from './entities/product-price.entity';
import { ProductEntity } from './entities/product.entity';
import { BasketService } from './services/basket.service';
import { ProductService } from './services/product.service';

const ENTITIES = [ProductEntity, ProductPriceEntity, BasketEntity, BasketItemEntity];

/** Catalogue, basket and addresses of the storefront's checkout. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), IdentityModule],
  providers: [ProductService, BasketService],
  exports: [ProductService, BasketService],
})
export class CheckoutModule {}
