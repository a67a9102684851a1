export * from './documents.module';
export * from './entities/document.entity';
export * from './migrations';
export * from './services/document.service';
