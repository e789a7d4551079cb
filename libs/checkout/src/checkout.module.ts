import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductPriceEntity } from './entities/product-price.entity';
import { ProductEntity } from './entities/product.entity';
import { ProductService } from './services/product.service';

const ENTITIES = [ProductEntity, ProductPriceEntity];

/** Catalogue, basket and addresses of the storefront's checkout. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES)],
  providers: [ProductService],
  exports: [ProductService],
})
export class CheckoutModule {}
