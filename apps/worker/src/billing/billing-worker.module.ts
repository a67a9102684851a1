import { Module } from '@nestjs/common';
import { BillingModule } from '@gemeng/billing';
import { BillingJobs } from './billing-jobs.service';

/** The scheduled billing of communes at the start of each period. */
@Module({ imports: [BillingModule], providers: [BillingJobs] })
export class BillingWorkerModule {}
