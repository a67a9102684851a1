import { Client } from 'pg';
import { demoDefinition, startTestApi, type TestApi } from './support/test-api';

const ONBOARD = `mutation Onboard($definition: CommuneDefinitionInput!) {
  onboardCommune(definition: $definition) { slug status domains { host kind } pricePerInhabitant }
}`;

/** A definition in the GraphQL input's shape, from a demo file. */
function definitionInput(slug: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const d = demoDefinition(slug);
  return {
    slug: d.slug,
    names: d.names,
    locales: { enabled: d.enabledLocales, default: d.defaultLocale },
    theme: d.theme,
    contact: d.contact,
    customDomains: d.customDomains,
    joinedOn: d.joinedOn,
    population: d.population,
    departments: d.departments,
    ...changes,
  };
}

describe('Operator API', () => {
  let api: TestApi;
  let admin: Client;

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch', 'luxembourg'] });
    admin = new Client({ connectionString: api.db.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await api.close();
  });

  const operator = () => api.on('operator.localhost').asOperator();

  async function footprint(): Promise<{ communes: number; schemas: string[] }> {
    const communes = await admin.query('SELECT count(*)::int AS n FROM platform.commune');
    const schemas = await admin.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY nspname");
    return { communes: communes.rows[0].n, schemas: schemas.rows.map((r: { nspname: string }) => r.nspname) };
  }

  it('onboards a commune through GraphQL, and it answers on its host at once', async () => {
    const result = await operator().ok<{ onboardCommune: Record<string, unknown> }>(ONBOARD, {
      definition: definitionInput('differdange', { customDomains: ['www.differdange.lu'], pricePerInhabitant: '19.5' }),
    });
    expect(result.onboardCommune).toEqual({
      slug: 'differdange',
      status: 'active',
      domains: [
        { host: 'differdange', kind: 'subdomain' },
        { host: 'www.differdange.lu', kind: 'custom' },
      ],
      pricePerInhabitant: '19.50',
    });
    expect(await api.on('www.differdange.lu').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'differdange' } });
  });

  it('lists communes and their population records', async () => {
    const list = await operator().ok<{ communes: { slug: string; status: string }[] }>('{ communes { slug status } }');
    expect(list.communes.map((c) => c.slug)).toEqual(['differdange', 'esch', 'luxembourg']);
    const recorded = await operator().ok<{ recordPopulation: { inhabitants: number } }>(
      'mutation { recordPopulation(slug: "esch", record: { referenceDate: "2027-01-01", inhabitants: 38001, source: "STATEC, 1 January" }) { inhabitants } }',
    );
    expect(recorded.recordPopulation.inhabitants).toBe(38001);
    const figures = await operator().ok<{ populationRecords: { referenceDate: string; inhabitants: number }[] }>(
      '{ populationRecords(slug: "esch") { referenceDate inhabitants } }',
    );
    expect(figures.populationRecords.map((f) => f.referenceDate)).toEqual(['2025-01-01', '2026-01-01', '2027-01-01']);
    const suspended = await operator().ok<{ communes: unknown[] }>('{ communes(status: suspended) { slug } }');
    expect(suspended.communes).toEqual([]);
  });

  it('refuses bad input with a clear error and creates nothing', async () => {
    const before = await footprint();
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'an invalid locale',
        { slug: 'mersch', locales: { enabled: ['fr', 'it'], default: 'fr' } },
        'locales.enabled',
        /must be one of lb, fr, de, en/,
      ],
      [
        'an unreadable theme',
        { slug: 'mersch', theme: { primaryColor: '#ffeb3b', secondaryColor: '#1f2a44', accentColor: '#0b5cad' } },
        'theme.onPrimaryColor',
        /onPrimaryColor #ffffff on primaryColor #ffeb3b has a contrast ratio of 1\.\d\d:1; WCAG 2\.1 AA needs at least 4\.5:1/,
      ],
      ['a reserved slug', { slug: 'operator' }, 'slug', /reserved/],
      ['a date that does not exist', { slug: 'mersch', joinedOn: '2026-13-01' }, 'joinedOn', /YYYY-MM-DD/],
    ];
    for (const [, changes, path, message] of cases) {
      const result = await operator().query(ONBOARD, { definition: definitionInput('hesperange', changes) });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const problems = result.errors?.[0].extensions?.problems as { path: string; message: string }[];
      expect(problems).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
    }
    expect(await footprint()).toEqual(before);
  });

  it('refuses a duplicate slug or a domain another commune answers on, and creates nothing', async () => {
    const before = await footprint();
    const duplicate = await operator().query(ONBOARD, { definition: definitionInput('esch') });
    expect(duplicate.errors?.[0]).toMatchObject({
      message: 'A commune "esch" is already onboarded (active)',
      extensions: { code: 'CONFLICT' },
    });
    const stolenDomain = await operator().query(ONBOARD, {
      definition: definitionInput('hesperange', { customDomains: ['portal.vdl.lu'] }),
    });
    expect(stolenDomain.errors?.[0]).toMatchObject({
      message: 'portal.vdl.lu is already a domain of luxembourg',
      extensions: { code: 'CONFLICT' },
    });
    expect(await footprint()).toEqual(before);
    expect(await api.on('portal.vdl.lu').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'luxembourg' } });
  });

  it("updates a commune's theme, refusing an unreadable one and keeping the old", async () => {
    const refused = await operator().query(
      'mutation { updateCommune(slug: "esch", changes: { theme: { primaryColor: "#eeeeee", secondaryColor: "#1f2a44", accentColor: "#0b5cad" } }) { slug } }',
    );
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toContain('#eeeeee');
    expect(await api.on('esch.localhost').ok('{ commune { theme { primaryColor } } }')).toEqual({
      commune: { theme: { primaryColor: '#b5121b' } },
    });
    await operator().ok(
      'mutation { updateCommune(slug: "esch", changes: { theme: { primaryColor: "#8a0f16", secondaryColor: "#1f2a44", accentColor: "#0b5cad" } }) { slug } }',
    );
    expect(await api.on('esch.localhost').ok('{ commune { theme { primaryColor } contact { phone } } }')).toEqual({
      commune: { theme: { primaryColor: '#8a0f16' }, contact: { phone: '2754 2533' } },
    });
  });

  it('answers NOT_FOUND for a commune that does not exist', async () => {
    const result = await operator().query(
      'mutation { suspendCommune(slug: "atlantis", input: { reason: "x" }) { slug } }',
    );
    expect(result.errors?.[0]).toMatchObject({ message: 'No commune "atlantis"', extensions: { code: 'NOT_FOUND' } });
  });

  describe("from the attacker's side", () => {
    it('refuses the operator API without the token, or with a wrong one', async () => {
      const anonymous = await api.on('operator.localhost').query('{ communes { slug } }');
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data).toBeNull();
      const wrong = await api
        .on('operator.localhost')
        .with('authorization', 'Bearer test-operator-tokeN')
        .query('mutation { resumeCommune(slug: "esch") { slug } }');
      expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses the operator API on a commune host, even with the token', async () => {
      const result = await api
        .on('esch.localhost')
        .asOperator()
        .query('mutation { suspendCommune(slug: "luxembourg", input: { reason: "hostile" }) { slug } }');
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await api.on('luxembourg.localhost').ok('{ commune { slug } }')).toEqual({
        commune: { slug: 'luxembourg' },
      });
    });

    it('has no commune on the operator host', async () => {
      const result = await api.on('operator.localhost').asOperator().query('{ commune { slug } }');
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });
});
