import { Module } from '@nestjs/common';
import { CommuneResolver } from './graphql/commune.resolver';
import { OperatorCommuneResolver } from './graphql/operator-commune.resolver';
import { CommuneDirectory } from './services/commune-directory.service';
import { CommuneRegistry } from './services/commune-registry.service';
import { OnboardingService } from './services/onboarding.service';
import { TenantMigrationService } from './services/tenant-migration.service';
import { TenantSeeders } from './services/tenant-seeders.service';

/** The operator's register of communes: onboarding, hosts, branding, population, tenant migrations. */
@Module({
  providers: [CommuneDirectory, CommuneRegistry, OnboardingService, TenantMigrationService, TenantSeeders],
  exports: [CommuneDirectory, CommuneRegistry, OnboardingService, TenantMigrationService, TenantSeeders],
})
export class CommunesModule {}

/** The GraphQL edge of the commune register, for the API only. */
@Module({
  imports: [CommunesModule],
  providers: [CommuneResolver, OperatorCommuneResolver],
})
export class CommunesGraphQLModule {}
