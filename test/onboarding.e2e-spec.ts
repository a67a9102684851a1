import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CommuneRegistry, OnboardingService, TenantMigrationService } from '@gemeng/communes';
import { MIGRATION_LOCK_CLASS } from '@gemeng/database';
import { TENANT_MIGRATION_LIST } from '@gemeng/platform';
import { runCli, startCli } from './support/cli';
import { demoDefinition, startTestApi, TENANTS_DIR, type TestApi } from './support/test-api';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Onboarding and tenant migrations', () => {
  let api: TestApi;
  let admin: Client;

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch'] });
    admin = new Client({ connectionString: api.db.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await api.close();
  });

  async function tenantMigrations(schema: string): Promise<string[]> {
    const rows = await admin.query(`SELECT name FROM ${schema}.schema_migration ORDER BY name`);
    return rows.rows.map((r: { name: string }) => r.name);
  }

  it('refuses to onboard a slug twice, and changes nothing', async () => {
    const before = await api.app.get(CommuneRegistry).getBySlug('esch');
    await expect(
      api.app
        .get(OnboardingService)
        .onboard(demoDefinition('esch', { names: { fr: 'Autre nom', lb: 'x', de: 'x', en: 'x' } })),
    ).rejects.toThrow('A commune "esch" is already onboarded (active)');
    const after = await api.app.get(CommuneRegistry).getBySlug('esch');
    expect(after.names).toEqual(before.names);
    // What npm start does on every start: already there, nothing to do.
    const again = await api.app.get(OnboardingService).onboard(demoDefinition('esch'), { existing: 'skip' });
    expect(again).toMatchObject({ created: false, resumed: false });
  });

  it('completes, on the next run, an onboarding whose process was killed half-way', async () => {
    // Hold the commune's migration lock, so that the onboarding stops right after creating role and
    // schema; kill it there, as a crash or a lost node would.
    const blocker = new Client({ connectionString: api.db.adminUrl });
    await blocker.connect();
    await blocker.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, 'dudelange']);
    const run = startCli(['tenants', 'onboard', join(TENANTS_DIR, 'dudelange.yaml')], api.db.url);
    try {
      await until(async () => {
        const waiting = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'gemeng-cli'",
        );
        return waiting.rowCount === 1;
      }, 'the onboarding to reach the tenant migrations');
      run.child.kill('SIGKILL');
      await run.done;
    } finally {
      await blocker.end();
    }
    const halfway = await admin.query("SELECT status FROM platform.commune WHERE slug = 'dudelange'");
    expect(halfway.rows[0].status).toBe('provisioning');
    expect((await admin.query("SELECT 1 FROM pg_namespace WHERE nspname = 't_dudelange'")).rowCount).toBe(1);
    expect(
      (await admin.query("SELECT 1 FROM pg_tables WHERE schemaname = 't_dudelange' AND tablename = 'department'"))
        .rowCount,
    ).toBe(0);
    // Not served while it is being set up.
    expect((await api.on('dudelange.localhost').query('{ commune { slug } }')).status).toBe(503);

    const resumed = await runCli(['tenants', 'onboard', join(TENANTS_DIR, 'dudelange.yaml')], api.db.url);
    expect(resumed.stdout).toContain('dudelange: onboarding completed (resumed)');
    expect(resumed.code).toBe(0);
    expect(await tenantMigrations('t_dudelange')).toEqual(TENANT_MIGRATION_LIST.map((m) => m.name));
    // The change reaches the running API through LISTEN/NOTIFY (the command line is another process).
    await until(
      async () => (await api.on('dudelange.localhost').query('{ commune { slug } }')).status === 200,
      'the API to serve dudelange',
    );
    const served = await api
      .on('dudelange.localhost')
      .ok<{ commune: { departments: { code: string }[] } }>('{ commune { departments { code } } }');
    expect(served.commune.departments.map((d) => d.code)).toEqual(['population', 'environment']);
  });

  it('applies a new tenant migration to every commune, reports a failing commune without stopping the others, and resumes', async () => {
    await api.onboard(demoDefinition('hesperange'));
    const addNotes = {
      name: '209901010001-add-notes',
      sql: 'CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL)',
    };
    const failsForHesperange = {
      name: '209901010002-add-tags',
      sql: `DO $$ BEGIN
              IF current_schema() = 't_hesperange' AND NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'fixed') THEN
                RAISE EXCEPTION 'disk full';
              END IF;
            END $$;
            CREATE TABLE tag (id serial PRIMARY KEY, label text NOT NULL);`,
    };
    const service = new TenantMigrationService(api.app.get(DataSource), api.app.get(CommuneRegistry), [
      ...TENANT_MIGRATION_LIST,
      addNotes,
      failsForHesperange,
    ]);
    const progress: string[] = [];
    const first = await service.migrateAll({
      concurrency: 2,
      onCommune: (o, done, total) => progress.push(`${done}/${total} ${o.slug}`),
    });
    expect(first.failed).toBe(1);
    expect(first.communes.map((c) => [c.slug, c.applied, c.error ?? null])).toEqual([
      ['dudelange', [addNotes.name, failsForHesperange.name], null],
      ['esch', [addNotes.name, failsForHesperange.name], null],
      ['hesperange', [addNotes.name], expect.stringContaining('disk full')],
    ]);
    expect(progress).toHaveLength(3);
    for (const outcome of first.communes) expect(outcome.ms).toBeGreaterThan(0);
    // The failed migration left nothing behind; the one before it stays applied.
    expect(await tenantMigrations('t_hesperange')).toEqual([
      ...TENANT_MIGRATION_LIST.map((m) => m.name),
      addNotes.name,
    ]);
    expect(
      (await admin.query("SELECT 1 FROM pg_tables WHERE schemaname = 't_hesperange' AND tablename = 'tag'")).rowCount,
    ).toBe(0);

    // The operator fixes the cause and runs again: only what is missing is applied.
    await admin.query('CREATE TABLE t_hesperange.fixed (id int); ALTER TABLE t_hesperange.fixed OWNER TO t_hesperange');
    const second = await service.migrateAll({ concurrency: 2 });
    expect(second.failed).toBe(0);
    expect(second.communes.map((c) => [c.slug, c.applied])).toEqual([
      ['dudelange', []],
      ['esch', []],
      ['hesperange', [failsForHesperange.name]],
    ]);
  });

  it('completes a migration run whose connection died half-way', async () => {
    const first = { name: '209901010003-first', sql: 'CREATE TABLE first_step (id int)' };
    const blocked = {
      name: '209901010004-second',
      sql: 'SELECT pg_advisory_xact_lock(4242, 4242); CREATE TABLE second_step (id int)',
    };
    const service = new TenantMigrationService(api.app.get(DataSource), api.app.get(CommuneRegistry), [
      ...TENANT_MIGRATION_LIST,
      first,
      blocked,
    ]);
    const blocker = new Client({ connectionString: api.db.adminUrl });
    await blocker.connect();
    await blocker.query('SELECT pg_advisory_lock(4242, 4242)');
    const running = service.migrateAll({ concurrency: 1, slugs: ['esch'] });
    await until(async () => {
      const waiting = await admin.query(
        "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_advisory_xact_lock(4242, 4242)%' AND wait_event_type = 'Lock'",
      );
      if (!waiting.rowCount) return false;
      await admin.query('SELECT pg_terminate_backend($1)', [waiting.rows[0].pid]);
      return true;
    }, 'the second migration to wait');
    const report = await running;
    await blocker.end();
    expect(report.failed).toBe(1);
    const names = await tenantMigrations('t_esch');
    expect(names).toContain(first.name);
    expect(names).not.toContain(blocked.name);

    const again = await service.migrateAll({ concurrency: 1, slugs: ['esch'] });
    expect(again.communes[0]).toMatchObject({ slug: 'esch', applied: [blocked.name] });
    expect(await tenantMigrations('t_esch')).toEqual(expect.arrayContaining([first.name, blocked.name]));
  });

  describe('command line', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gemeng-cli-'));
    });

    it('lists communes with their status and hosts', async () => {
      const result = await runCli(['tenants', 'list'], api.db.url);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/esch\s+active\s+Esch-sur-Alzette\s+esch\.localhost/);
      const json = JSON.parse((await runCli(['tenants', 'list', '--json'], api.db.url)).stdout);
      expect(json).toEqual(expect.arrayContaining([{ slug: 'esch', status: 'active', hosts: ['esch.localhost'] }]));
    });

    it('suspends and resumes a commune', async () => {
      const suspended = await runCli(
        ['tenants', 'suspend', 'esch', '--reason', 'Maintenance of the register'],
        api.db.url,
      );
      expect(suspended.stdout).toContain('esch: suspended (Maintenance of the register)');
      await until(
        async () => (await api.on('esch.localhost').query('{ commune { slug } }')).status === 503,
        'the API to see the suspension',
      );
      const resumed = await runCli(['tenants', 'resume', 'esch'], api.db.url);
      expect(resumed.stdout).toContain('esch: active');
      await until(
        async () => (await api.on('esch.localhost').query('{ commune { slug } }')).status === 200,
        'the API to see the resumption',
      );
    });

    it('migrates all communes with progress and a summary', async () => {
      const result = await runCli(['tenants', 'migrate', '--all'], api.db.url);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/\[1\/\d+\] \w+: up to date \(\d+ ms\)/);
      expect(result.stdout).toMatch(
        /Summary: \d+ commune\(s\) in [\d.]+ s; 0 migration\(s\) applied to 0 commune\(s\); 0 failed/,
      );
    });

    it('explains malformed YAML and invalid definitions, and creates nothing', async () => {
      const broken = join(dir, 'broken.yaml');
      await writeFile(broken, 'slug: [oops\nnames: {');
      const invalid = join(dir, 'invalid.yaml');
      await writeFile(
        invalid,
        [
          'slug: Bad_Slug',
          'names: { fr: Nowhere }',
          'locales: { enabled: [fr, xx], default: fr }',
          'theme: { primaryColor: "#ffd700", secondaryColor: "#1f2a44", accentColor: "#0b5cad" }',
          'contact: { address: Here, phone: "12 34", email: not-an-email }',
          'joinedOn: "2026-02-30"',
          'colour: red',
        ].join('\n'),
      );
      const result = await runCli(['tenants', 'onboard', broken, invalid], api.db.url);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${broken} is not valid YAML`);
      expect(result.stderr).toMatch(/line \d+:/);
      expect(result.stderr).toContain(`${invalid} is invalid`);
      expect(result.stderr).toContain('slug: must be lowercase letters');
      expect(result.stderr).toContain('locales.enabled: each value in enabled must be one of lb, fr, de, en');
      expect(result.stderr).toContain(
        'theme.onPrimaryColor: onPrimaryColor #ffffff on primaryColor #ffd700 has a contrast ratio of 1.40:1',
      );
      expect(result.stderr).toContain('contact.email: email must be an e-mail address, got "not-an-email"');
      expect(result.stderr).toContain('joinedOn: 2026-02-30 is not a date');
      expect(result.stderr).toContain('colour: is not a known setting');
      expect(result.stdout).toContain('0 onboarded, 2 failed');
      const count = await admin.query('SELECT count(*)::int AS n FROM platform.commune');
      expect(count.rows[0].n).toBe(3);
    });

    it('answers a wrong call with the usage and exit status 2', async () => {
      const result = await runCli(['tenants', 'migrate'], api.db.url);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('tenants migrate takes either --all or one or more slugs');
      expect(result.stderr).toContain('Usage: npm run cli --');
    });
  });
});
