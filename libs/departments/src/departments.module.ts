import { Module } from '@nestjs/common';
import { CommunesModule } from '@gemeng/communes';
import { CommuneDepartmentsResolver } from './graphql/commune-departments.resolver';
import { DepartmentService } from './services/department.service';

@Module({
  imports: [CommunesModule],
  providers: [DepartmentService],
  exports: [DepartmentService],
})
export class DepartmentsModule {}

@Module({
  imports: [DepartmentsModule],
  providers: [CommuneDepartmentsResolver],
})
export class DepartmentsGraphQLModule {}
