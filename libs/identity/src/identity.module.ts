import { Module } from '@nestjs/common';
import { CommunesModule } from '@gemeng/communes';
import { IdentityResolver } from './graphql/identity.resolver';
import { IdentityService } from './services/identity.service';

/** Citizens' profiles and the staff of each commune. */
@Module({ imports: [CommunesModule], providers: [IdentityService], exports: [IdentityService] })
export class IdentityModule {}

@Module({ imports: [IdentityModule], providers: [IdentityResolver] })
export class IdentityGraphQLModule {}
