import { Module } from '@nestjs/common';
import { CatalogueResolver } from './graphql/catalogue.resolver';
import { CatalogueService } from './services/catalogue.service';

/** The shared service catalogue of the platform schema (the DataSource comes from the platform module). */
@Module({ providers: [CatalogueService], exports: [CatalogueService] })
export class CatalogueModule {}

/** The GraphQL edge of the catalogue, for the API only. */
@Module({ imports: [CatalogueModule], providers: [CatalogueResolver] })
export class CatalogueGraphQLModule {}
