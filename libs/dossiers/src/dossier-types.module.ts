import { Module } from '@nestjs/common';
import { CatalogueModule } from '@gemeng/catalogue';
import { CommunesModule } from '@gemeng/communes';
import { DepartmentsModule } from '@gemeng/departments';
import { DossierTypeResolver } from './graphql/dossier-type.resolver';
import { DossierTypeService } from './services/dossier-type.service';

/** The commune's dossier types, enabled from the shared catalogue; seeds those of a commune's definition. */
@Module({
  imports: [CommunesModule, CatalogueModule, DepartmentsModule],
  providers: [DossierTypeService],
  exports: [DossierTypeService],
})
export class DossierTypesModule {}

/** The GraphQL edge of dossier types, for the API only. */
@Module({
  imports: [DossierTypesModule, DepartmentsModule, CommunesModule],
  providers: [DossierTypeResolver],
})
export class DossierTypesGraphQLModule {}
