export * from './catalogue.module';
export * from './entities';
export * from './graphql/catalogue.types';
export * from './graphql/procedure.types';
export * from './migrations';
export * from './rules/procedure-rules';
export * from './services/catalogue.service';
