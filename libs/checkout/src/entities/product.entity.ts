import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { ProductPriceEntity } from './product-price.entity';

/** A sellable product of one channel: its SKU is unique in the channel; one price per currency it is sold in. */
@Entity('product')
@Index('product_channel_sku_uq', ['channelId', 'sku'], { unique: true })
@Check('chk_product_stock', `"stock" >= 0`)
export class ProductEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'integer' })
  stock!: number;

  @Column({ type: 'boolean' })
  active!: boolean;

  @OneToMany(() => ProductPriceEntity, (price) => price.product)
  prices?: Relation<ProductPriceEntity>[];

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
