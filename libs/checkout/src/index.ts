export * from './checkout.module';
export * from './dtos/product.dto';
export * from './entities/product-price.entity';
export * from './entities/product.entity';
export * from './errors';
export * from './services/product.service';
