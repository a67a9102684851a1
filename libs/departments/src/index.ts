export * from './departments.module';
export * from './entities/department.entity';
export * from './migrations';
export * from './services/department.service';
