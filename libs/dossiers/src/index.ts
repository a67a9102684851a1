export * from './entities';
export * from './migrations';
