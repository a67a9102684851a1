import { Client } from 'pg';
import { OnboardingService } from '@gemeng/communes';
import { DataSource } from 'typeorm';
import { demoDefinition, startTestApi, type TestApi } from './support/test-api';

const COMMUNES = 200;
const REQUESTS = 1000;
const IN_FLIGHT = 50;

describe(`One pool for ${COMMUNES} communes`, () => {
  let api: TestApi;
  let admin: Client;
  const slugs = Array.from({ length: COMMUNES }, (_, i) => `commune-${String(i + 1).padStart(3, '0')}`);

  beforeAll(async () => {
    api = await startTestApi();
    const onboarding = api.app.get(OnboardingService);
    const template = demoDefinition('esch');
    for (const slug of slugs) await onboarding.onboard({ ...template, slug });
    admin = new Client({ connectionString: api.db.adminUrl });
    await admin.connect();
  }, 180_000);
  afterAll(async () => {
    await admin?.end();
    await api?.close();
  });

  async function apiConnections(): Promise<number> {
    const result = await admin.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gemeng-api'",
    );
    return result.rows[0].n;
  }

  it('never holds more connections than its pool, with requests spread over every commune', async () => {
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await apiConnections());
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    let next = 0;
    const seen = new Map<string, string>();
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const slug = slugs[next++ % COMMUNES];
        const result = await api
          .on(`${slug}.localhost`)
          .ok<{ commune: { slug: string; departments: { code: string }[] } }>(
            '{ commune { slug departments { code } } }',
          );
        seen.set(slug, result.commune.slug);
        expect(result.commune.departments).toHaveLength(3);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    sampling = false;
    await sampler;
    expect(seen.size).toBe(COMMUNES);
    for (const [slug, answered] of seen) expect(answered).toBe(slug);
    // The load did reach the database through the pool, and never past it.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(api.config.poolSize);
    // Besides the pool, the API holds exactly one connection: the LISTEN of the commune directory.
    const listeners = await admin.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gemeng-api-listener'",
    );
    expect(listeners.rows[0].n).toBe(1);
  }, 120_000);

  it('shares one transaction between sibling fields of a request, and leaves no connection behind', async () => {
    const query =
      '{ a: commune { departments { code } } b: commune { departments { code } } c: commune { departments { code } } }';
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.on(`${slugs[i % COMMUNES]}.localhost`).ok<Record<string, { departments: unknown[] }>>(query),
      ),
    );
    for (const result of results)
      for (const alias of ['a', 'b', 'c']) expect(result[alias].departments).toHaveLength(3);
    const open = await admin.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gemeng-api' AND state <> 'idle'",
    );
    expect(open.rows[0].n).toBe(0);
    // Every pooled connection can still be had: none was left checked out.
    const dataSource = api.app.get(DataSource);
    const runners = await Promise.all(
      Array.from({ length: api.config.poolSize }, async () => {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    await Promise.all(runners.map((r) => r.release()));
  });
});
