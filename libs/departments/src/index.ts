export * from './departments.module';
export * from './entities/department.entity';
export * from './graphql/department.types';
export * from './migrations';
export * from './services/department.service';
