import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { BasketEntity } from './basket.entity';
import { ProductEntity } from './product.entity';

/** One product in a basket (one line per product: adding it again raises the quantity). */
@Entity('basket_item')
@Index('basket_item_product_uq', ['basketId', 'productId'], { unique: true })
@Check('chk_basket_item_quantity', `"quantity" BETWEEN 1 AND 100`)
export class BasketItemEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'basket_id', type: 'integer' })
  basketId!: number;

  @ManyToOne(() => BasketEntity, (basket) => basket.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'basket_id', foreignKeyConstraintName: 'basket_item_basket_fkey' })
  basket?: Relation<BasketEntity>;

  @Index('basket_item_product_idx')
  @Column({ name: 'product_id', type: 'integer' })
  productId!: number;

  @ManyToOne(() => ProductEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id', foreignKeyConstraintName: 'basket_item_product_fkey' })
  product?: Relation<ProductEntity>;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'jsonb' })
  attributes!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
