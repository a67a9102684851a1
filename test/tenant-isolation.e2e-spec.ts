import { Client } from 'pg';
import { RequestContext } from '@gemeng/core';
import { TenantTransactions, beginTenantSql } from '@gemeng/database';
import { CommuneDirectory } from '@gemeng/communes';
import { DataSource } from 'typeorm';
import { startTestApi, type TestApi } from './support/test-api';

/** PostgreSQL's answer to a statement, as an error code: 42501 is insufficient_privilege. */
async function sqlStateOf(client: Client, sql: string): Promise<string | undefined> {
  await client.query('SAVEPOINT attempt');
  try {
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT attempt');
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT attempt');
    return (error as { code?: string }).code;
  }
}

describe("Tenant isolation, from the attacker's side", () => {
  let api: TestApi;
  let client: Client;
  const esch = { role: 't_esch', schema: 't_esch' };

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch', 'dudelange'] });
    // The platform's own login role, on a connection of its own.
    client = new Client({ connectionString: api.db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await api.close();
  });

  it("refuses, in PostgreSQL itself, commune A's role reading or writing commune B's tables", async () => {
    await client.query(beginTenantSql(esch));
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM department')).rows[0].n).toBe(3);
      expect(await sqlStateOf(client, 'SELECT * FROM t_dudelange.department')).toBe('42501');
      expect(await sqlStateOf(client, "INSERT INTO t_dudelange.department (code, names) VALUES ('stolen', '{}')")).toBe(
        '42501',
      );
      expect(await sqlStateOf(client, 'UPDATE t_dudelange.department SET email = NULL')).toBe('42501');
      expect(await sqlStateOf(client, 'DROP TABLE t_dudelange.department')).toBe('42501');
      expect(await sqlStateOf(client, 'CREATE TABLE t_dudelange.planted (id int)')).toBe('42501');
      // Nor may it read the operator's register (population, prices, other communes' settings).
      expect(await sqlStateOf(client, 'SELECT * FROM platform.commune')).toBe('42501');
    } finally {
      await client.query('ROLLBACK');
    }
    const dudelange = await client.query(
      `${beginTenantSql({ role: 't_dudelange', schema: 't_dudelange' })}; SELECT code FROM department ORDER BY code; COMMIT`,
    );
    const rows = (dudelange as unknown as { rows: { code: string }[] }[]).find((r) => r.rows?.length)?.rows;
    expect(rows?.map((r) => r.code)).toEqual(['environment', 'population']);
  });

  it("lets the login role alone read no commune's table", async () => {
    expect(await client.query('SELECT current_user AS u').then((r) => r.rows[0].u)).toBe('gemeng');
    await client.query('BEGIN');
    try {
      expect(await sqlStateOf(client, 'SELECT * FROM t_esch.department')).toBe('42501');
      expect(await sqlStateOf(client, 'SELECT * FROM t_dudelange.department')).toBe('42501');
    } finally {
      await client.query('ROLLBACK');
    }
    const role = await client.query('SELECT rolsuper, rolinherit FROM pg_roles WHERE rolname = current_user');
    expect(role.rows[0]).toEqual({ rolsuper: false, rolinherit: false });
  });

  it('gives a pooled connection back as the login role after a tenant transaction', async () => {
    const dataSource = api.app.get(DataSource);
    const transactions = api.app.get(TenantTransactions);
    const commune = api.app.get(CommuneDirectory).bySlug('esch');
    if (!commune) throw new Error('esch is not in the directory');
    const inside = await transactions.run(RequestContext.forCommune(commune), (manager) =>
      manager.query("SELECT current_user AS u, current_setting('search_path') AS path, pg_backend_pid() AS pid"),
    );
    expect(inside[0]).toMatchObject({ u: 't_esch', path: 't_esch' });
    // Take every connection of the pool at once: the one used above is among them.
    const size = api.config.poolSize;
    const runners = await Promise.all(
      Array.from({ length: size }, async () => {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    try {
      const states = await Promise.all(
        runners.map((r) =>
          r.query("SELECT current_user AS u, current_setting('search_path') AS path, pg_backend_pid() AS pid"),
        ),
      );
      expect(states.map((s) => s[0].pid)).toContain(inside[0].pid);
      for (const [state] of states) expect(state).toMatchObject({ u: 'gemeng', path: '"$user", public' });
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  });

  it('rolls a failed tenant transaction back and still returns a clean connection', async () => {
    const transactions = api.app.get(TenantTransactions);
    const commune = api.app.get(CommuneDirectory).bySlug('esch')!;
    const ctx = RequestContext.forCommune(commune);
    await expect(
      transactions.run(ctx, async (manager) => {
        await manager.query('INSERT INTO department (code, names) VALUES (\'temporary\', \'{"fr":"x"}\')');
        await manager.query('SELECT * FROM t_dudelange.department');
      }),
    ).rejects.toMatchObject({ driverError: { code: '42501' } });
    const codes = await transactions.run(ctx, (manager) => manager.query('SELECT code FROM department'));
    expect(codes.map((r: { code: string }) => r.code)).not.toContain('temporary');
    expect(ctx.transaction).toBeUndefined();
  });

  it("gives side-by-side calls of one context their own transaction, and nested calls their caller's", async () => {
    const transactions = api.app.get(TenantTransactions);
    const ctx = RequestContext.forCommune(api.app.get(CommuneDirectory).bySlug('esch')!);
    const txid = (manager: { query: (sql: string) => Promise<{ id: string }[]> }) =>
      manager.query('SELECT txid_current()::text AS id').then((rows) => rows[0].id);
    const [a, b] = await Promise.all([
      transactions.run(ctx, async (manager) => {
        const outer = await txid(manager);
        const inner = await transactions.run(ctx, (nested) => txid(nested));
        return { outer, inner };
      }),
      transactions.run(ctx, async (manager) => {
        const outer = await txid(manager);
        const inner = await transactions.run(ctx, (nested) => txid(nested));
        return { outer, inner };
      }),
    ]);
    expect(a.inner).toBe(a.outer);
    expect(b.inner).toBe(b.outer);
    expect(a.outer).not.toBe(b.outer);
  });

  it("answers another commune's host with that commune's data only, even under concurrent load", async () => {
    const query = '{ commune { slug departments { code } } }';
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? api.on('esch.localhost') : api.on('dudelange.localhost')).ok<{
          commune: { slug: string; departments: { code: string }[] };
        }>(query),
      ),
    );
    for (const [i, result] of results.entries()) {
      const expected = i % 2 ? ['population', 'technical', 'social'] : ['population', 'environment'];
      expect(result.commune.slug).toBe(i % 2 ? 'esch' : 'dudelange');
      expect(result.commune.departments.map((d) => d.code)).toEqual(expected);
    }
  });
});
