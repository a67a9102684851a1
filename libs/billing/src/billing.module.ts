import { Module } from '@nestjs/common';
import { CommunesModule } from '@gemeng/communes';
import { CommuneBillingResolver, OperatorBillingResolver } from './graphql/billing.resolver';
import { BillingService } from './services/billing.service';

/** Per-capita billing of communes: prices, billing runs, invoices and credit notes, their documents. */
@Module({ imports: [CommunesModule], providers: [BillingService], exports: [BillingService] })
export class BillingModule {}

/** The GraphQL edge of billing, for the API only: the operator's and the commune administrators'. */
@Module({ imports: [BillingModule], providers: [OperatorBillingResolver, CommuneBillingResolver] })
export class BillingGraphQLModule {}
