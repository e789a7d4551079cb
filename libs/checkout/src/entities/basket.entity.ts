import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@app/identity';
import { BasketItemEntity } from './basket-item.entity';

/**
 * A shopper's basket. The session names it (`basket_pk` in the session data); a signed-in user's basket also
 * carries the user, so it is found again from another session. Prices are never stored: lines are priced when
 * read, in the request's currency.
 */
@Entity('basket')
@Index('basket_user_idx', ['channelId', 'userId'])
export class BasketEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'basket_user_fkey' })
  user?: Relation<UserEntity>;

  @OneToMany(() => BasketItemEntity, (item) => item.basket)
  items?: Relation<BasketItemEntity>[];

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
