import { Module } from '@nestjs/common';
import { CommunesModule } from '@gemeng/communes';
import { DepartmentsModule } from '@gemeng/departments';
import { DocumentsModule } from '@gemeng/documents';
import { IdentityModule } from '@gemeng/identity';
import { LiveModule } from '@gemeng/live';
import { NotificationsModule } from '@gemeng/notifications';
import { DossierTypesModule } from './dossier-types.module';
import { DossierResolver } from './graphql/dossier.resolver';
import { DossierService } from './services/dossier.service';

/** Interview requests: submission, the agents' work through the stages, live tracking. */
@Module({
  imports: [
    CommunesModule,
    IdentityModule,
    DepartmentsModule,
    DossierTypesModule,
    DocumentsModule,
    NotificationsModule,
    LiveModule,
  ],
  providers: [DossierService],
  exports: [DossierService],
})
export class DossiersModule {}

@Module({ imports: [DossiersModule, CommunesModule, LiveModule], providers: [DossierResolver] })
export class DossiersGraphQLModule {}
