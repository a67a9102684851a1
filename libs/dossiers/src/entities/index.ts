export * from './dossier-event.entity';
export * from './dossier-type.entity';
export * from './dossier.entity';
