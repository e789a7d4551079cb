export * from './loyalty-account.dto';
export * from './loyalty-transfer.dto';
export * from './ledger-api.dto';
