import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import type { CommuneRef, RequestContext, TenantTransaction } from '@gemeng/core';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { isRetryable } from './postgres-errors';
import { quoteIdent } from './tenant-names';

const MAX_ATTEMPTS = 3;

/** TypeORM's query runner as this runner drives it: a transaction it began itself, in one round trip. */
type DrivenQueryRunner = Omit<QueryRunner, 'isTransactionActive'> & {
  isTransactionActive: boolean;
  transactionDepth: number;
  releasePostgresConnection(error?: Error): Promise<void>;
};

class OpenTransaction implements TenantTransaction {
  /** Work that must see the transaction's changes committed first (live events, for instance). */
  readonly afterCommit: (() => Promise<void> | void)[] = [];

  constructor(readonly queryRunner: DrivenQueryRunner) {}

  get manager(): EntityManager {
    return this.queryRunner.manager;
  }
}

/**
 * GraphQL resolves sibling fields concurrently, and they share the request's one connection: their
 * queries are sent one after the other here rather than stacked on the client, which pg only tolerates
 * with a deprecation warning (and will refuse in its next major version).
 */
function serializeQueries(queryRunner: DrivenQueryRunner): void {
  const query = queryRunner.query.bind(queryRunner) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  (queryRunner as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args) => {
    const next = tail.then(() => query(...args));
    tail = next.catch(() => undefined);
    return next;
  };
}

/** The statement that opens a tenant transaction: BEGIN, role and search path in one round trip. */
export function beginTenantSql(commune: Pick<CommuneRef, 'schema' | 'role'>): string {
  return `BEGIN; SET LOCAL ROLE ${quoteIdent(commune.role)}; SET LOCAL search_path TO ${quoteIdent(commune.schema)}`;
}

/**
 * Runs work on a commune's data. Every tenant transaction takes one connection from the shared pool,
 * switches to the commune's role and schema for the transaction only (SET LOCAL), and gives the
 * connection back as the login role: the number of connections never depends on the number of communes.
 */
@Injectable()
export class TenantTransactions {
  private readonly logger = new Logger(TenantTransactions.name);
  /**
   * Request-long transactions being opened or open, by context. Kept as promises because GraphQL
   * resolves sibling fields concurrently: the second field must wait for the first one's transaction,
   * not open another one that nobody would finish.
   */
  private readonly requestLong = new WeakMap<RequestContext, Promise<OpenTransaction>>();
  /**
   * The unit of work a call runs in, for contexts that are not request-long. Kept per asynchronous call
   * chain rather than on the context: two calls made side by side with one context (a subscription's,
   * a page's) each get their own transaction, and a nested call joins its caller's.
   */
  private readonly unitOfWork = new AsyncLocalStorage<{ ctx: RequestContext; tx: OpenTransaction }>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` inside the context's transaction. With none open, a request-long context gets one that
   * stays open until the edge finishes it ({@link finish}); any other context gets a unit of work that
   * commits on return, rolls back on error, and is retried on deadlock or serialization failure.
   */
  async run<T>(ctx: RequestContext, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (ctx.transaction) return work(ctx.transaction.manager);
    const unit = this.unitOfWork.getStore();
    if (unit?.ctx === ctx) return work(unit.tx.manager);
    if (ctx.requestLong) {
      let opening = this.requestLong.get(ctx);
      if (!opening) {
        opening = this.open(ctx.requireCommune());
        this.requestLong.set(ctx, opening);
      }
      const tx = await opening;
      ctx.transaction = tx;
      return work(tx.manager);
    }
    for (let attempt = 1; ; attempt++) {
      const tx = await this.open(ctx.requireCommune());
      try {
        const result = await this.unitOfWork.run({ ctx, tx }, () => work(tx.manager));
        await this.close(tx, 'COMMIT');
        return result;
      } catch (error) {
        await this.close(tx, 'ROLLBACK');
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
          this.logger.warn(`Retrying a transaction of ${ctx.commune?.slug} after ${String(error)}`);
          continue;
        }
        throw error;
      }
    }
  }

  /** Ends the request-long transaction of a context, if one was opened. */
  async finish(ctx: RequestContext, outcome: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const opening = this.requestLong.get(ctx);
    if (!opening) return;
    this.requestLong.delete(ctx);
    ctx.transaction = undefined;
    // A transaction that failed to open has nothing to finish; its error went to the resolver.
    const tx = await opening.catch(() => undefined);
    if (tx) await this.close(tx, outcome);
  }

  /**
   * Runs `effect` once the context's open transaction has committed, and never if it rolls back; with no
   * transaction open, at once. Its failure is logged, not thrown: the change it follows is already done.
   */
  async afterCommit(ctx: RequestContext, effect: () => Promise<void> | void): Promise<void> {
    const opening = this.requestLong.get(ctx);
    const unit = this.unitOfWork.getStore();
    const tx =
      (ctx.transaction as OpenTransaction | undefined) ??
      (unit?.ctx === ctx ? unit.tx : undefined) ??
      (opening ? await opening : undefined);
    if (tx) tx.afterCommit.push(effect);
    else await this.runEffect(effect);
  }

  /** The statement that opens a transaction for `commune`; a single-tenant baseline overrides it. */
  protected beginSql(commune: CommuneRef): string {
    return beginTenantSql(commune);
  }

  private async open(commune: CommuneRef): Promise<OpenTransaction> {
    const queryRunner = this.dataSource.createQueryRunner() as unknown as DrivenQueryRunner;
    try {
      await queryRunner.query(this.beginSql(commune));
    } catch (error) {
      await queryRunner.releasePostgresConnection(error as Error);
      throw error;
    }
    serializeQueries(queryRunner);
    // The transaction was begun by hand; tell TypeORM so that nested transactions become savepoints.
    queryRunner.isTransactionActive = true;
    queryRunner.transactionDepth = 1;
    return new OpenTransaction(queryRunner);
  }

  private async close(tx: OpenTransaction, outcome: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const queryRunner = tx.queryRunner;
    if (queryRunner.isReleased) return;
    try {
      await queryRunner.query(outcome);
      queryRunner.isTransactionActive = false;
      queryRunner.transactionDepth = 0;
      await queryRunner.release();
    } catch (error) {
      // A connection whose transaction state is unknown must never go back to the pool.
      await queryRunner.releasePostgresConnection(error as Error);
      if (outcome === 'COMMIT') throw error;
      return;
    }
    if (outcome === 'COMMIT') for (const effect of tx.afterCommit.splice(0)) await this.runEffect(effect);
  }

  private async runEffect(effect: () => Promise<void> | void): Promise<void> {
    try {
      await effect();
    } catch (error) {
      this.logger.error(`An effect after commit failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
