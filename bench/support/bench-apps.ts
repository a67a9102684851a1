import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:net';
import { DataSource } from 'typeorm';
import { CommuneDirectory, type CommuneSnapshot, type HostResolution } from '@gemeng/communes';
import type { GemengConfig } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { ApiModule } from '../../apps/api/src/app.module';

/** Listens on an ephemeral loopback port and returns the GraphQL endpoint. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address();
  if (!address || typeof address === 'string') throw new Error('the API is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}/graphql`;
}

/**
 * The production module with its own application name (so that its connections can be told apart in
 * pg_stat_activity) and its own pool settings. It skips what createApi does before serving (migrations,
 * onboarding): the bench database is already current, and createApi's pass over every commune's schema
 * would warm the pool's backends before their memory is measured.
 */
export async function createPooledApi(
  config: GemengConfig,
  databaseUrl: string,
  applicationName: string,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.forRoot({ config, databaseUrl, applicationName })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.disable('x-powered-by');
  await app.init();
  await app.get(CommuneDirectory).start(config.baseDomain);
  return app;
}

/**
 * Opens every transaction with a plain BEGIN instead of the routed BEGIN; SET LOCAL ROLE; SET LOCAL
 * search_path. Everything else (pooled runner, request-long sharing, the Apollo plugin that finishes
 * the transaction) stays the production code. It counts what it opened, so that a change in how
 * transactions open cannot silently turn the baseline back into routing.
 */
class PlainBeginTransactions extends TenantTransactions {
  opened = 0;

  protected override beginSql(): string {
    this.opened++;
    return 'BEGIN';
  }
}

export interface FixedSchemaApi {
  app: INestApplication;
  /** Transactions opened with a plain BEGIN so far. */
  plainBegins(): number;
}

/**
 * The "no routing" baseline: the same server, minus tenant routing. Every host is the one commune
 * (no lookup), and the pool's connections are put in that commune's role and schema once, when they
 * connect (`-c role=… -c search_path=…` startup options), so requests read its schema inside a plain
 * BEGIN. That is what a single-tenant deployment of this code would do; the difference between the
 * two servers is exactly the per-request routing: host resolution, and the SET LOCAL ROLE /
 * search_path sent with BEGIN (and what PostgreSQL does to honour them).
 */
export async function createFixedSchemaApi(
  config: GemengConfig,
  databaseUrl: string,
  commune: CommuneSnapshot,
  applicationName: string,
): Promise<FixedSchemaApi> {
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c role=${commune.role} -c search_path=${commune.schema}`);
  const resolution: HostResolution = { kind: 'commune', commune };
  const directory = {
    resolve: (): HostResolution => resolution,
    get: (): CommuneSnapshot => commune,
    bySlug: (): CommuneSnapshot => commune,
    size: 1,
    start: async (): Promise<void> => undefined,
    refresh: async (): Promise<void> => undefined,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.forRoot({ config, databaseUrl: url.toString(), applicationName })],
  })
    .overrideProvider(CommuneDirectory)
    .useValue(directory)
    .overrideProvider(TenantTransactions)
    .useFactory({ factory: (dataSource: DataSource) => new PlainBeginTransactions(dataSource), inject: [DataSource] })
    .compile();
  const transactions = moduleRef.get(TenantTransactions) as PlainBeginTransactions;
  const plainBegins = (): number => transactions.opened;
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.disable('x-powered-by');
  await app.init();
  return { app, plainBegins };
}
