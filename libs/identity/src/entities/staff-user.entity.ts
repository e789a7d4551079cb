import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A back-office user. A superuser may use every channel; others only those in `channelIds`. */
@Entity({ name: 'staff_users' })
@Index('staff_users_username_key', ['username'], { unique: true })
export class StaffUserEntity {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'staff_users_pkey' })
  id!: number;

  @Column({ type: 'varchar', length: 150 })
  username!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'is_superuser', type: 'boolean', default: false })
  isSuperuser!: boolean;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'channel_ids', type: 'integer', array: true, default: () => "'{}'" })
  channelIds!: number[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
