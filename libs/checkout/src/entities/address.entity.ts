import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@app/identity';

/** A signed-in user's saved delivery or billing address. Place names are free text; the country is a code. */
@Entity('address')
@Index('address_user_idx', ['channelId', 'userId'])
export class AddressEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'address_user_fkey' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 64 })
  title!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 64 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 64 })
  lastName!: string;

  @Column({ type: 'varchar', length: 255 })
  line!: string;

  @Column({ type: 'varchar', length: 64 })
  city!: string;

  @Column({ type: 'varchar', length: 64 })
  township!: string;

  @Column({ type: 'varchar', length: 64 })
  district!: string;

  @Column({ type: 'varchar', length: 16 })
  postcode!: string;

  @Column({ type: 'varchar', length: 32 })
  phone!: string;

  /** ISO 3166-1 alpha-2, upper-case. */
  @Column({ type: 'varchar', length: 2 })
  country!: string;

  @Column({ name: 'is_corporate', type: 'boolean' })
  isCorporate!: boolean;

  @Column({ name: 'company_name', type: 'varchar', length: 128 })
  companyName!: string;

  @Column({ name: 'tax_office', type: 'varchar', length: 64 })
  taxOffice!: string;

  @Column({ name: 'tax_no', type: 'varchar', length: 32 })
  taxNo!: string;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
