export * from './loyalty-account.entity';
export * from './loyalty-idempotency-key.entity';
export * from './loyalty-transaction.entity';
export * from './loyalty-transfer.entity';
export * from './money-column';
