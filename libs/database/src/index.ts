export * from './data-source';
export * from './database-server';
export * from './platform-migrator';
export * from './postgres-errors';
export * from './sql-migration';
export * from './tenant-migrator';
export * from './tenant-names';
export * from './tenant-transactions';
