import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommuneRegistry, toSnapshot } from '@gemeng/communes';
import { RequestContext, type GemengConfig } from '@gemeng/core';
import { PostgresListener } from '@gemeng/database';
import {
  notificationJobId,
  OutboxService,
  slugOfSchema,
  type NotificationJob,
  type RelayedRow,
} from '@gemeng/notifications';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { QueueRegistry } from '../queue';
import { withTimeout } from '../with-timeout';
import { EMAIL_JOB, notificationJobOptions, NOTIFICATIONS_QUEUE } from './notification-queue';

/** The channel the outbox trigger notifies at commit, with the commune's schema as payload. */
const CHANNEL = 'gemeng_outbox';
/** Rows claimed and handed to the queue per transaction. */
const BATCH = 200;
/**
 * How long the queue may take to accept a batch before the transaction is rolled back. Without it, a
 * Redis that is down would hold the claimed rows' locks for as long as the client keeps retrying.
 */
const QUEUE_TIMEOUT_MS = 10_000;
/** Communes relayed at once during a sweep. */
const SWEEP_CONCURRENCY = 4;

/**
 * Moves outbox rows to the notifications queue. It listens on `gemeng_outbox` (one dedicated
 * connection, reconnected if it drops) to relay a commune's rows as soon as they commit, and sweeps
 * every active commune at start, after a reconnection and every OUTBOX_SWEEP_SECONDS for rows it
 * missed (a notification while it was down, a hand-over that failed). Rows are claimed with
 * FOR UPDATE SKIP LOCKED in the commune's transaction and marked relayed only if the queue accepted
 * them, so several workers can relay at once and a queue outage loses nothing.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private readonly listener: PostgresListener;
  private stopped = true;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private sweepAgain = false;
  /** Communes being relayed, and whether another pass was asked for meanwhile. */
  private readonly passes = new Map<string, { again: boolean; done: Promise<void> }>();
  /** The last problem logged, to log an outage once per sweep interval rather than once per commune. */
  private lastProblem = { text: '', at: 0, suppressed: 0 };

  constructor(
    dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly registry: CommuneRegistry,
    private readonly queues: QueueRegistry,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {
    this.listener = new PostgresListener({
      ...PostgresListener.connectionOf(dataSource, 'outbox'),
      channel: CHANNEL,
      description: 'outbox listener',
      logger: this.logger,
      onNotification: (schema) => {
        const slug = slugOfSchema(schema);
        if (slug) void this.relay(slug);
      },
      // Whatever committed while nobody listened is found by a sweep.
      onReconnected: () => this.requestSweep(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopped = false;
    // LISTEN before the first sweep: a row committed in between is seen by one or the other.
    await this.listener.start();
    this.requestSweep();
  }

  /** Stops listening and sweeping, and waits for the passes under way (their transactions end). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    await this.listener.close();
    await this.sweeping;
    await Promise.all([...this.passes.values()].map((pass) => pass.done));
  }

  /**
   * Relays a commune's pending rows now. A call while a pass of the same commune runs makes that pass
   * run once more when it ends, so a burst of commits costs a few passes, not one each.
   */
  relay(slug: string): Promise<void> {
    const running = this.passes.get(slug);
    if (running) {
      running.again = true;
      return running.done;
    }
    const pass = { again: true, done: Promise.resolve() };
    pass.done = (async () => {
      try {
        while (pass.again && !this.stopped) {
          pass.again = false;
          await this.relayCommune(slug);
        }
      } finally {
        this.passes.delete(slug);
      }
    })();
    this.passes.set(slug, pass);
    return pass.done;
  }

  /** Sweeps every active commune now, or once more after the sweep under way. */
  requestSweep(): void {
    if (this.stopped) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    clearTimeout(this.sweepTimer);
    this.sweeping = this.sweep().finally(() => {
      this.sweeping = undefined;
      if (this.stopped) return;
      if (this.sweepAgain) {
        this.sweepAgain = false;
        this.requestSweep();
        return;
      }
      this.sweepTimer = setTimeout(() => this.requestSweep(), this.config.notifications.sweepSeconds * 1000);
      this.sweepTimer.unref();
    });
  }

  private async sweep(): Promise<void> {
    let slugs: string[];
    try {
      slugs = (await this.registry.list('active')).map((c) => c.slug);
    } catch (error) {
      this.problem(`could not list the communes to sweep: ${message(error)}`);
      return;
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < slugs.length && !this.stopped) await this.relay(slugs[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, slugs.length) }, lane));
  }

  private async relayCommune(slug: string): Promise<void> {
    try {
      // Only active communes send: a suspended commune's notifications wait until it is resumed. The
      // status is read from the register, not the cache: a suspension and the outbox rows committed
      // right after it reach this worker over two connections, in either order.
      const entity = await this.registry.findBySlug(slug);
      if (!entity || entity.status !== 'active') return;
      const commune = toSnapshot(entity);
      const ctx = RequestContext.forCommune(commune);
      const queue = this.queues.queue<NotificationJob>(NOTIFICATIONS_QUEUE);
      const handOver = async (rows: RelayedRow[]): Promise<void> => {
        const jobs = rows.map((row) => ({
          name: EMAIL_JOB,
          data: { commune: slug, outboxId: row.id },
          opts: notificationJobOptions(this.config, notificationJobId(slug, row.id, row.round)),
        }));
        await withTimeout(queue.addBulk(jobs), QUEUE_TIMEOUT_MS, 'The queue');
      };
      while (!this.stopped && (await this.outbox.relayPending(ctx, BATCH, handOver)) === BATCH);
    } catch (error) {
      if (this.stopped) return;
      this.problem(
        `notifications of ${slug} wait for the next attempt (within ${this.config.notifications.sweepSeconds} s): ${message(error)}`,
      );
    }
  }

  private problem(text: string): void {
    const now = Date.now();
    const interval = this.config.notifications.sweepSeconds * 1000;
    const kind = text.replace(/^notifications of \S+ /, '');
    if (kind === this.lastProblem.text && now - this.lastProblem.at < interval) {
      this.lastProblem.suppressed++;
      return;
    }
    const more = this.lastProblem.suppressed
      ? ` (and ${this.lastProblem.suppressed} similar since the last report)`
      : '';
    this.lastProblem = { text: kind, at: now, suppressed: 0 };
    this.logger.warn(`${text}${more}`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
