import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { BillingService, formatAmount, issuedTotalCents, type BillingRunResult } from '@gemeng/billing';
import { RequestContext, type GemengConfig } from '@gemeng/core';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { QueueRegistry } from '../queue';
import { BILLING_CRON, BILLING_TIME_ZONE, previousPeriod } from './billing-schedule';

export const BILLING_QUEUE = 'billing';
export const BILL_PREVIOUS_PERIOD = 'bill-previous-period';

/** A job may name its period (an operator re-queueing one); the scheduled ones bill the period that ended. */
export interface BillingJobData {
  period?: string;
}

/**
 * Bills every active commune at the start of each period (`BILLING_SCHEDULE`), for the period that
 * just ended. The schedule lives in the queue, so several workers bill once between them; the billing
 * service issues nothing for a commune already invoiced, so a retried or repeated job is harmless.
 */
@Injectable()
export class BillingJobs implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Billing');

  constructor(
    private readonly queues: QueueRegistry,
    private readonly billing: BillingService,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  onModuleInit(): void {
    this.queues.process<BillingJobData>(BILLING_QUEUE, async (job) => {
      if (job.name !== BILL_PREVIOUS_PERIOD) throw new Error(`Unknown billing job "${job.name}"`);
      return this.handle(job);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.queues.queue<BillingJobData>(BILLING_QUEUE);
    const schedule = this.config.billingSchedule;
    if (schedule === 'off') {
      await queue.removeJobScheduler(BILL_PREVIOUS_PERIOD);
      return;
    }
    await queue.upsertJobScheduler(
      BILL_PREVIOUS_PERIOD,
      { pattern: BILLING_CRON[schedule], tz: BILLING_TIME_ZONE },
      {
        name: BILL_PREVIOUS_PERIOD,
        data: {},
        // A database that is away at 06:00 on the first is retried for about a day.
        opts: { attempts: 8, backoff: { type: 'exponential', delay: 60_000 } },
      },
    );
  }

  /** The job's handler: the period it names, or the one that ended before the job was due. */
  handle(job: Pick<Job<BillingJobData>, 'data' | 'opts' | 'timestamp'>): Promise<BillingRunResult> {
    if (job.data.period) return this.bill(job.data.period);
    const schedule = this.config.billingSchedule;
    if (schedule === 'off') throw new Error('A billing job without a period, while BILLING_SCHEDULE is off');
    return this.bill(previousPeriod(schedule, new Date(job.opts.prevMillis ?? job.timestamp)));
  }

  /** Bills the period as the operator and logs what was issued, what already was, and what could not be. */
  async bill(period: string): Promise<BillingRunResult> {
    const result = await this.billing.run(new RequestContext({ operator: true }), period);
    const total = formatAmount(issuedTotalCents(result));
    this.logger.log(
      `${result.period.label}: ${result.invoices.length} invoice(s) issued, total ${total} EUR; ` +
        `${result.alreadyInvoiced.length} commune(s) already invoiced`,
    );
    for (const skip of result.skipped) {
      this.logger.warn(`${result.period.label}: ${skip.communeSlug} not invoiced: ${skip.reason}`);
    }
    return result;
  }
}
