import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { MinorUnits } from '@app/common';
import { MONEY_COLUMN } from '@app/ledger';
import { ProductEntity } from './product.entity';

/** A product's price in one currency (lower-case code, as the channel lists it). */
@Entity('product_price')
@Check('chk_product_price_currency', `"currency" ~ '^[a-z]{3}$'`)
@Check('chk_product_price_amount', `"amount" >= 0`)
export class ProductPriceEntity {
  @PrimaryColumn({ name: 'product_id', type: 'integer' })
  productId!: number;

  @PrimaryColumn({ type: 'varchar', length: 3 })
  currency!: string;

  @ManyToOne(() => ProductEntity, (product) => product.prices, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'product_price_product_fkey' })
  product?: Relation<ProductEntity>;

  @Column({ ...MONEY_COLUMN })
  amount!: MinorUnits;
}
