import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApi } from '../../apps/api/src/bootstrap';
import { OnboardingService, parseCommuneYaml, type CommuneDefinition } from '@gemeng/communes';
import { loadConfig, type GemengConfig } from '@gemeng/core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from './test-server';

export const TENANTS_DIR = join(__dirname, '..', '..', 'tenants');
export const OPERATOR_TOKEN = 'test-operator-token';

/** A demo commune's definition from tenants/, optionally changed (another slug, other domains). */
export function demoDefinition(slug: string, changes: Partial<CommuneDefinition> = {}): CommuneDefinition {
  const definition = parseCommuneYaml(readFileSync(join(TENANTS_DIR, `${slug}.yaml`), 'utf8'), `${slug}.yaml`);
  return { ...definition, ...changes };
}

export interface TestApi {
  app: INestApplication;
  db: TestDatabase;
  config: GemengConfig;
  /** A GraphQL client for one host: `api.on('esch.localhost').query(...)`. */
  on(host: string): GraphQLClient;
  http(): ReturnType<typeof request>;
  onboard(definition: CommuneDefinition): Promise<void>;
  close(): Promise<void>;
}

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: string[] }[];
}

export class GraphQLClient {
  private readonly headers: Record<string, string> = {};

  constructor(
    private readonly app: INestApplication,
    private readonly host: string,
  ) {}

  /** The same client with a header added (a token, a language). */
  with(name: string, value: string): GraphQLClient {
    const next = new GraphQLClient(this.app, this.host);
    Object.assign(next.headers, this.headers, { [name]: value });
    return next;
  }

  asOperator(): GraphQLClient {
    return this.with('authorization', `Bearer ${OPERATOR_TOKEN}`);
  }

  async query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResult<T>> {
    const res = await request(this.app.getHttpServer())
      .post('/graphql')
      .set('host', this.host)
      .set('content-type', 'application/json')
      .set(this.headers)
      .send({ query, variables });
    return { status: res.status, data: res.body.data, errors: res.body.errors };
  }

  /** Runs a query and fails with the errors' text when there are any. */
  async ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.query<T>(query, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL errors on ${this.host}: ${JSON.stringify(result.errors)}`);
    }
    return result.data;
  }
}

/**
 * The API on a fresh database of its own, listening on an ephemeral port, with the given demo communes
 * onboarded. Requests go to 127.0.0.1 with a Host header (Node does not resolve *.localhost). With
 * `database`, another instance of the platform on that database, which its owner drops.
 */
export async function startTestApi(
  options: { communes?: string[]; config?: Partial<GemengConfig>; port?: number; database?: TestDatabase } = {},
): Promise<TestApi> {
  const db = options.database ?? (await createTestDatabase());
  const dropDatabase = options.database ? async () => undefined : () => db.drop();
  // Uploads and mail files go to a directory of this instance's own, never to the developer's .data/.
  const scratch = mkdtempSync(join(tmpdir(), 'gemeng-test-'));
  const removeScratch = () => rm(scratch, { recursive: true, force: true });
  const config: GemengConfig = {
    ...loadConfig({ GEMENG_DATA_DIR: scratch }),
    operatorToken: OPERATOR_TOKEN,
    poolSize: 5,
    ...options.config,
  };
  let app: INestApplication | undefined;
  try {
    app = await createApi({ config, databaseUrl: db.url, logger: false });
    await app.listen(options.port ?? 0, '127.0.0.1');
    const onboarding = app.get(OnboardingService);
    for (const slug of options.communes ?? []) await onboarding.onboard(demoDefinition(slug));
  } catch (error) {
    await app?.close();
    await dropDatabase();
    await removeScratch();
    throw error;
  }
  const started = app;
  return {
    app: started,
    db,
    config,
    on: (host) => new GraphQLClient(started, host),
    http: () => request(started.getHttpServer()),
    onboard: async (definition) => {
      await started.get(OnboardingService).onboard(definition);
    },
    close: async () => {
      await started.close();
      await dropDatabase();
      await removeScratch();
    },
  };
}
