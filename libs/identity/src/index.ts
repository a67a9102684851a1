export * from './entities/citizen.entity';
export * from './entities/staff-member.entity';
export * from './graphql/identity.types';
export * from './identity.module';
export * from './migrations';
export * from './services/identity.service';
