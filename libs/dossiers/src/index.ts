export * from './calendar/working-days';
export * from './dossier-types.module';
export * from './dossiers.module';
export * from './entities';
export * from './graphql/dossier-type.types';
export * from './migrations';
export * from './services/dossier-type.service';
export * from './services/dossier.service';
