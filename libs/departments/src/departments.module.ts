import { Module } from '@nestjs/common';
import { CommunesModule } from '@gemeng/communes';
import { IdentityModule } from '@gemeng/identity';
import { CommuneDepartmentsResolver } from './graphql/commune-departments.resolver';
import { DepartmentResolver } from './graphql/department.resolver';
import { DepartmentService } from './services/department.service';

@Module({
  imports: [CommunesModule, IdentityModule],
  providers: [DepartmentService],
  exports: [DepartmentService],
})
export class DepartmentsModule {}

@Module({
  imports: [DepartmentsModule, IdentityModule, CommunesModule],
  providers: [CommuneDepartmentsResolver, DepartmentResolver],
})
export class DepartmentsGraphQLModule {}
