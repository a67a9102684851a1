export * from './database-bootstrap';
export * from './platform.module';
export * from './migrations';
export * from './schema';
export * from './tenants-directory';
