import { Client } from 'pg';
import { CATALOGUE_LANGUAGES, procedureProblems } from '@gemeng/catalogue';
import { CommuneDirectory } from '@gemeng/communes';
import { RequestContext } from '@gemeng/core';
import { beginTenantSql } from '@gemeng/database';
import { DossierTypeService } from '@gemeng/dossiers';
import { Browser } from './support/browser';
import { LoginWorld } from './support/login-world';
import { demoDefinition, OPERATOR_TOKEN, type GraphQLResult, type TestApi } from './support/test-api';

type Problems = { path: string; message: string }[];
type Texts = Partial<Record<'lb' | 'fr' | 'de' | 'en', string | null>>;

interface Stage {
  code: string;
  name: string;
  names: Texts;
  notifiesCitizen: boolean;
  final: boolean;
}

interface DossierTypeView {
  id: string;
  code: string;
  name: string;
  names: Texts;
  normDays: number;
  enabled: boolean;
  department: { code: string; name: string };
  stages: Stage[];
  documents: { code: string; name: string; required: boolean }[];
}

interface ServiceTypeView {
  code: string;
  name: string;
  names: Texts;
  descriptions: Texts;
  lifeEvents: string[];
  normDays: number;
  stages: Stage[];
  documents: { code: string; names: Texts; required: boolean }[];
  retiredAt: string | null;
}

const DOSSIER_TYPE = `id code name names { lb fr de en } normDays enabled department { code name }
  stages { code name names { lb fr de en } notifiesCitizen final } documents { code name required }`;
const SERVICE_TYPE = `code name names { lb fr de en } descriptions { lb fr de en } lifeEvents normDays retiredAt
  stages { code name names { lb fr de en } notifiesCitizen final } documents { code names { lb fr de en } required }`;

const ENABLE = `mutation ($input: EnableDossierTypeInput!) { enableDossierType(input: $input) { ${DOSSIER_TYPE} } }`;
const UPDATE = `mutation ($code: String!, $input: DossierTypeUpdateInput!) {
  updateDossierType(code: $code, input: $input) { ${DOSSIER_TYPE} } }`;
const CREATE_DEPARTMENT = `mutation ($input: DepartmentInput!) {
  createDepartment(input: $input) { id code name names { lb fr de en } email position } }`;
const UPSERT = `mutation ($input: ServiceTypeInput!) { upsertServiceType(input: $input) { ${SERVICE_TYPE} } }`;

/** A stage in every language, as the catalogue needs it. */
function stage(code: string, options: { final?: boolean; notifies?: boolean; names?: Texts } = {}) {
  return {
    code,
    names: options.names ?? { lb: `${code} (lb)`, fr: `${code} (fr)`, de: `${code} (de)`, en: `${code} (en)` },
    notifiesCitizen: options.notifies ?? false,
    final: options.final ?? false,
  };
}

/** Someone using the API on one host: a browser with its cookies, or a token. */
class Caller {
  constructor(
    private readonly world: LoginWorld,
    readonly browser: Browser,
    readonly host: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async ask<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    const page = await this.browser.send('POST', this.world.url(this.host, '/graphql'), {
      json: { query, variables },
      headers: this.headers,
    });
    return { status: page.status, ...(JSON.parse(page.body) as Omit<GraphQLResult<T>, 'status'>) };
  }

  async ok<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.ask<T>(query, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL errors on ${this.host}: ${JSON.stringify(result.errors)}`);
    }
    return result.data;
  }

  /** The code of the first error, and its problems' paths when the input was refused. */
  async refusal(query: string, variables?: Record<string, unknown>): Promise<{ code?: string; paths: string[] }> {
    const result = await this.ask(query, variables);
    const error = result.errors?.[0];
    if (!error) throw new Error(`Expected a refusal on ${this.host}, got ${JSON.stringify(result.data)}`);
    const problems = (error.extensions?.problems as Problems | undefined) ?? [];
    return { code: error.extensions?.code, paths: problems.map((p) => p.path) };
  }
}

describe('Dossier configuration: departments, dossier types and the shared catalogue', () => {
  let world: LoginWorld;
  let api: TestApi;
  let eschAdmin: Caller;
  let eschAgent: Caller;
  let eschCitizen: Caller;
  let eschAnonymous: Caller;
  let dudelangeAdmin: Caller;
  let hesperangeAdmin: Caller;
  let operator: Caller;

  async function loggedIn(host: string, email: string, headers: Record<string, string> = {}): Promise<Caller> {
    const browser = new Browser();
    const landed = await world.logIn(browser, host, email);
    if (landed.status !== 303) throw new Error(`${email} could not log in on ${host}: ${landed.status}`);
    return new Caller(world, browser, host, headers);
  }

  /** A department of Esch of the test's own, so that tests share nothing. */
  async function eschDepartment(code: string): Promise<{ id: string; code: string }> {
    const created = await eschAdmin.ok<{ createDepartment: { id: string; code: string } }>(CREATE_DEPARTMENT, {
      input: { code, names: { fr: `Service ${code}`, de: `Dienst ${code}` } },
    });
    return created.createDepartment;
  }

  async function eschTypes(): Promise<DossierTypeView[]> {
    return (await eschAdmin.ok<{ allDossierTypes: DossierTypeView[] }>(`{ allDossierTypes { ${DOSSIER_TYPE} } }`))
      .allDossierTypes;
  }

  async function staffId(caller: Caller, email: string): Promise<string> {
    const { staff } = await caller.ok<{ staff: { id: string; email: string }[] }>('{ staff { id email } }');
    const member = staff.find((s) => s.email === email);
    if (!member) throw new Error(`${email} is not staff on ${caller.host}`);
    return member.id;
  }

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange', 'hesperange']);
    api = world.api;
    eschAdmin = await loggedIn('esch.localhost', 'admin.esch@demo.gemeng.lu');
    eschAgent = await loggedIn('esch.localhost', 'agent.esch@demo.gemeng.lu');
    eschCitizen = await loggedIn('esch.localhost', 'citizen.esch@demo.gemeng.lu');
    eschAnonymous = new Caller(world, new Browser(), 'esch.localhost');
    dudelangeAdmin = await loggedIn('dudelange.localhost', 'admin.dudelange@demo.gemeng.lu');
    hesperangeAdmin = await loggedIn('hesperange.localhost', 'admin.hesperange@demo.gemeng.lu');
    operator = new Caller(world, new Browser(), 'operator.localhost', { authorization: `Bearer ${OPERATOR_TOKEN}` });
  });
  afterAll(() => world?.stop());

  describe('the shared catalogue', () => {
    it("offers the catalogue by life event on every commune host, in the caller's language", async () => {
      const german = new Caller(world, new Browser(), 'esch.localhost', { 'accept-language': 'de' });
      const { serviceCatalogue } = await german.ok<{
        serviceCatalogue: { code: string; name: string; serviceTypes: ServiceTypeView[] }[];
      }>(`{ serviceCatalogue { code name serviceTypes { ${SERVICE_TYPE} } } }`);
      expect(serviceCatalogue.map((e) => e.code)).toEqual([
        'moving',
        'marriage',
        'birth',
        'retirement',
        'death',
        'building',
        'business',
      ]);
      const moving = serviceCatalogue[0];
      expect(moving.name).toBe('Umzug');
      for (const event of serviceCatalogue) expect(event.serviceTypes.length).toBeGreaterThan(0);
      const declaration = moving.serviceTypes.find((t) => t.code === 'moving-declaration');
      expect(declaration).toMatchObject({ name: 'Anmeldung oder Adressänderung', lifeEvents: ['moving'] });
      expect(declaration?.documents).toContainEqual(expect.objectContaining({ code: 'identity-card', required: true }));

      const english = new Caller(world, new Browser(), 'dudelange.localhost', { 'accept-language': 'en' });
      const { serviceTypes } = await english.ok<{ serviceTypes: ServiceTypeView[] }>(
        `{ serviceTypes { ${SERVICE_TYPE} } }`,
      );
      const interview = serviceTypes.find((t) => t.code === 'interview');
      expect(interview).toMatchObject({
        name: 'Request an interview',
        names: { fr: "Demande d'entrevue", en: 'Request an interview' },
        normDays: 10,
        lifeEvents: [],
      });
      expect(interview?.stages.map((s) => [s.code, s.name, s.notifiesCitizen, s.final])).toEqual([
        ['received', 'Received', true, false],
        ['in-review', 'In review', false, false],
        ['appointment', 'Appointment', true, false],
        ['closed', 'Closed', true, true],
      ]);
      expect(interview?.documents.filter((d) => d.required)).toEqual([]);
      // The seeded catalogue meets the rules the operator's own changes must meet.
      for (const type of serviceTypes) {
        const clean = (texts: Texts) => Object.fromEntries(Object.entries(texts).filter(([, v]) => v !== null));
        const problems = procedureProblems(
          {
            stages: type.stages.map((s) => ({ ...s, names: clean(s.names) })),
            documents: type.documents.map((d) => ({ ...d, names: clean(d.names) })),
            normDays: type.normDays,
          },
          CATALOGUE_LANGUAGES,
        );
        expect({ code: type.code, problems }).toEqual({ code: type.code, problems: [] });
        expect(Object.values(type.descriptions).every(Boolean)).toBe(true);
      }
    });

    it("lets the operator add, change and retire a service type, and refuses that to a commune's administrator", async () => {
      const input = {
        code: 'parking-permit',
        names: { lb: 'Parkvignette', fr: 'Vignette de stationnement', de: 'Parkausweis', en: 'Parking permit' },
        descriptions: {
          lb: 'Frot eng Vignette fir Äert Quartier un.',
          fr: 'Demandez une vignette pour votre quartier.',
          de: 'Beantragen Sie einen Parkausweis für Ihr Viertel.',
          en: 'Apply for a parking permit for your neighbourhood.',
        },
        lifeEvents: ['moving'],
        normDays: 5,
        stages: [stage('received', { notifies: true }), stage('closed', { final: true, notifies: true })],
        documents: [{ code: 'car-registration', names: stage('car-registration').names, required: true }],
      };
      const added = await operator.ok<{ upsertServiceType: ServiceTypeView }>(UPSERT, { input });
      expect(added.upsertServiceType).toMatchObject({ code: 'parking-permit', name: 'Parking permit', normDays: 5 });
      const changed = await operator.ok<{ upsertServiceType: ServiceTypeView }>(UPSERT, {
        input: { ...input, normDays: 7 },
      });
      expect(changed.upsertServiceType.normDays).toBe(7);
      const { serviceCatalogue } = await eschAnonymous.ok<{
        serviceCatalogue: { code: string; serviceTypes: { code: string; name: string; normDays: number }[] }[];
      }>('{ serviceCatalogue { code serviceTypes { code name normDays } } }');
      expect(serviceCatalogue.find((e) => e.code === 'moving')?.serviceTypes).toContainEqual({
        code: 'parking-permit',
        name: 'Vignette de stationnement',
        normDays: 7,
      });

      const invalid = await operator.refusal(UPSERT, {
        input: {
          ...input,
          code: 'Parking Permit',
          lifeEvents: ['holidays'],
          stages: [stage('received'), stage('closed', { names: { fr: 'Clôturé' } })],
        },
      });
      expect(invalid.code).toBe('BAD_USER_INPUT');
      expect(invalid.paths).toEqual(
        expect.arrayContaining(['code', 'lifeEvents.0', 'stages.1.names.lb', 'stages.1.names.en', 'stages']),
      );

      // Neither a commune's administrator nor the operator's token on a commune host may change it.
      expect((await eschAdmin.refusal(UPSERT, { input })).code).toBe('FORBIDDEN');
      expect((await eschAdmin.refusal('mutation { retireServiceType(code: "parking-permit") { code } }')).code).toBe(
        'FORBIDDEN',
      );
      const tokenOnEsch = new Caller(world, new Browser(), 'esch.localhost', {
        authorization: `Bearer ${OPERATOR_TOKEN}`,
      });
      expect((await tokenOnEsch.refusal(UPSERT, { input })).code).toBe('FORBIDDEN');

      // Esch offers it before it is retired, and goes on offering it after.
      await eschAdmin.ok(ENABLE, { input: { serviceTypeCode: 'parking-permit', departmentCode: 'population' } });
      const retired = await operator.ok<{ retireServiceType: ServiceTypeView }>(
        'mutation { retireServiceType(code: "parking-permit") { code retiredAt } }',
      );
      expect(retired.retireServiceType.retiredAt).toEqual(expect.any(String));
      const current = await eschAnonymous.ok<{ serviceTypes: { code: string }[] }>('{ serviceTypes { code } }');
      expect(current.serviceTypes.map((t) => t.code)).not.toContain('parking-permit');
      const all = await eschAnonymous.ok<{ serviceTypes: { code: string }[] }>(
        '{ serviceTypes(includeRetired: true) { code } }',
      );
      expect(all.serviceTypes.map((t) => t.code)).toContain('parking-permit');
      const offered = await eschAnonymous.ok<{ dossierTypes: { code: string }[] }>('{ dossierTypes { code } }');
      expect(offered.dossierTypes.map((t) => t.code)).toContain('parking-permit');

      // A retired service can no longer be enabled.
      const refused = await dudelangeAdmin.ask(ENABLE, {
        input: { serviceTypeCode: 'parking-permit', departmentCode: 'population' },
      });
      expect(refused.errors?.[0]).toMatchObject({
        message: '"parking-permit" is retired from the service catalogue and can no longer be enabled',
        extensions: { code: 'CONFLICT' },
      });
      expect((await operator.refusal('mutation { retireServiceType(code: "teleportation") { code } }')).code).toBe(
        'NOT_FOUND',
      );
    });

    it('keeps the catalogue out of reach of every commune role, in PostgreSQL itself', async () => {
      const client = new Client({ connectionString: api.db.url });
      await client.connect();
      try {
        await client.query(beginTenantSql({ role: 't_esch', schema: 't_esch' }));
        const denied = async (sql: string): Promise<string | undefined> => {
          await client.query('SAVEPOINT attempt');
          try {
            await client.query(sql);
            return undefined;
          } catch (error) {
            return (error as { code?: string }).code;
          } finally {
            await client.query('ROLLBACK TO SAVEPOINT attempt');
          }
        };
        expect(await denied('SELECT * FROM platform.service_type')).toBe('42501');
        expect(await denied('SELECT * FROM platform.life_event')).toBe('42501');
        expect(await denied("UPDATE platform.service_type SET retired_at = now() WHERE code = 'interview'")).toBe(
          '42501',
        );
        expect((await client.query('SELECT count(*)::int AS n FROM dossier_type')).rows[0].n).toBeGreaterThan(0);
      } finally {
        await client.query('ROLLBACK');
        await client.end();
      }
    });
  });

  describe('onboarding', () => {
    it("enables the dossier types of each commune's definition, texts in the commune's languages", async () => {
      const esch = await eschAnonymous.ok<{ dossierTypes: DossierTypeView[] }>(`{ dossierTypes { ${DOSSIER_TYPE} } }`);
      const seeded = esch.dossierTypes.filter((t) =>
        ['interview', 'moving-declaration', 'building-permit', 'retirement-information'].includes(t.code),
      );
      expect(seeded.map((t) => [t.code, t.department.code, t.normDays])).toEqual([
        ['interview', 'population', 10],
        ['moving-declaration', 'population', 5],
        ['building-permit', 'technical', 40],
        ['retirement-information', 'social', 10],
      ]);
      expect(seeded[0]).toMatchObject({ name: "Demande d'entrevue", enabled: true });
      expect(seeded[0].department.name).toBe('Bureau de la population');

      const hesperange = new Caller(world, new Browser(), 'hesperange.localhost');
      const { dossierTypes } = await hesperange.ok<{ dossierTypes: DossierTypeView[] }>(
        `{ dossierTypes { ${DOSSIER_TYPE} } }`,
      );
      expect(dossierTypes.map((t) => t.code)).toEqual(['interview', 'residence-certificate']);
      // Hesperange offers lb, fr and de: the catalogue's English texts are not copied.
      for (const type of dossierTypes) {
        expect(type.names).toMatchObject({ lb: expect.any(String), en: null });
        for (const s of type.stages) expect(s.names.en).toBeNull();
      }
      expect(dossierTypes[0].name).toBe('Entrevue ufroen');
    });

    it('seeds again without duplicating or undoing anything, and refuses an unknown service in a definition', async () => {
      const service = api.app.get(DossierTypeService);
      const commune = api.app.get(CommuneDirectory).bySlug('dudelange');
      if (!commune) throw new Error('dudelange is not in the directory');
      await dudelangeAdmin.ok('mutation { disableDossierType(code: "birth-declaration") { code } }');
      await service.seed(RequestContext.forCommune(commune), demoDefinition('dudelange'));
      const { allDossierTypes } = await dudelangeAdmin.ok<{ allDossierTypes: DossierTypeView[] }>(
        '{ allDossierTypes { code enabled } }',
      );
      expect(allDossierTypes).toEqual([
        { code: 'interview', enabled: true },
        { code: 'birth-declaration', enabled: false },
      ]);

      const broken = demoDefinition('dudelange', {
        slug: 'dudelange-sud',
        dossierTypes: [
          { serviceType: 'interview', department: 'population' },
          { serviceType: 'teleportation', department: 'population' },
        ],
      });
      await expect(api.onboard(broken)).rejects.toMatchObject({
        problems: [{ path: 'dossierTypes.1.serviceType', message: '"teleportation" is not in the service catalogue' }],
      });
      // The onboarding stopped at seeding; run again with a fixed definition, it completes.
      await api.onboard({ ...broken, dossierTypes: [broken.dossierTypes[0]] });
      const sud = new Caller(world, new Browser(), 'dudelange-sud.localhost');
      expect(await sud.ok('{ dossierTypes { code } }')).toEqual({ dossierTypes: [{ code: 'interview' }] });
    });
  });

  describe('departments', () => {
    it('lets the administrator create and update a department and assign its members', async () => {
      const { createDepartment } = await eschAdmin.ok<{
        createDepartment: { id: string; code: string; name: string; email: string; position: number };
      }>(CREATE_DEPARTMENT, {
        input: {
          code: 'civil-status',
          names: { lb: 'Etat civil', fr: 'État civil', de: 'Standesamt' },
          email: 'etat-civil@villeesch.lu',
        },
      });
      expect(createDepartment).toMatchObject({
        code: 'civil-status',
        name: 'État civil',
        email: 'etat-civil@villeesch.lu',
      });
      const updated = await eschAdmin.ok<{ updateDepartment: Record<string, unknown> }>(
        `mutation { updateDepartment(code: "civil-status", input: {
           names: { lb: "Etat civil", fr: "Bureau de l'état civil", de: "Standesamt", en: "Civil status office" },
           position: 0 }) { name names { en } email position } }`,
      );
      expect(updated.updateDepartment).toEqual({
        name: "Bureau de l'état civil",
        names: { en: 'Civil status office' },
        email: 'etat-civil@villeesch.lu',
        position: 0,
      });
      const cleared = await eschAdmin.ok<{ updateDepartment: { email: string | null } }>(
        'mutation { updateDepartment(code: "civil-status", input: { email: null }) { email } }',
      );
      expect(cleared.updateDepartment.email).toBeNull();

      const agent = await staffId(eschAdmin, 'agent.esch@demo.gemeng.lu');
      const changed = await eschAdmin.ok<{ changeStaff: { departments: string[] } }>(
        `mutation { changeStaff(id: "${agent}", change: { departments: ["population", "civil-status"] }) { departments } }`,
      );
      expect(changed.changeStaff.departments).toEqual(['population', 'civil-status']);
      const members = '{ commune { departments { code members { email } } } }';
      type Listing = { commune: { departments: { code: string; members: { email: string }[] }[] } };
      for (const staff of [eschAdmin, eschAgent]) {
        const listing = await staff.ok<Listing>(members);
        expect(listing.commune.departments.find((d) => d.code === 'civil-status')?.members).toEqual([
          { email: 'agent.esch@demo.gemeng.lu' },
        ]);
      }
      // Who works where is for the commune's staff only.
      expect((await eschCitizen.refusal(members)).code).toBe('FORBIDDEN');
      expect((await eschAnonymous.refusal(members)).code).toBe('UNAUTHENTICATED');
      const publicView = await eschAnonymous.ok<{ commune: { departments: { code: string }[] } }>(
        '{ commune { departments { code } } }',
      );
      expect(publicView.commune.departments[0].code).toBe('civil-status');
    });

    it('refuses a department with problems, each listed with its path', async () => {
      expect(
        await eschAdmin.refusal(CREATE_DEPARTMENT, { input: { code: 'x', names: { fr: 'X' }, email: 'nobody' } }),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['email'] });
      expect(
        await eschAdmin.refusal(CREATE_DEPARTMENT, { input: { code: 'Parks Service', names: { de: 'Parks' } } }),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['code', 'names.fr'] });
      expect(
        await hesperangeAdmin.refusal(CREATE_DEPARTMENT, {
          input: { code: 'parks', names: { lb: 'Parken', en: 'Parks' } },
        }),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['names.en'] });
      expect(
        await eschAdmin.refusal(CREATE_DEPARTMENT, { input: { code: 'population', names: { fr: 'Population' } } }),
      ).toEqual({ code: 'CONFLICT', paths: [] });
      expect(
        await eschAdmin.refusal('mutation { updateDepartment(code: "parks", input: { position: 1 }) { code } }'),
      ).toEqual({ code: 'NOT_FOUND', paths: [] });
      const agent = await staffId(eschAdmin, 'agent.esch@demo.gemeng.lu');
      expect(
        await eschAdmin.refusal(
          `mutation { changeStaff(id: "${agent}", change: { departments: ["population", "parks"] }) { id } }`,
        ),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['departments.1'] });
      expect(
        await eschAdmin.refusal(
          'mutation { inviteStaff(invitation: { email: "new@example.lu", role: agent, departments: ["parks"] }) { id } }',
        ),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['departments.0'] });
      const { commune } = await eschAdmin.ok<{ commune: { departments: { code: string }[] } }>(
        '{ commune { departments { code } } }',
      );
      expect(commune.departments.map((d) => d.code)).not.toContain('parks');
    });

    it('deletes a department nothing refers to, and refuses one still in use, saying by what', async () => {
      await eschDepartment('archives');
      await eschDepartment('sports');
      await eschAdmin.ok(ENABLE, { input: { serviceTypeCode: 'meals-on-wheels', departmentCode: 'sports' } });
      const inUse = await eschAdmin.ask('mutation { deleteDepartment(code: "sports") { code } }');
      expect(inUse.errors?.[0]).toMatchObject({
        message: 'The department "sports" is still in use (1 dossier type); hand them to another department first',
        extensions: { code: 'CONFLICT' },
      });
      const agent = await staffId(eschAdmin, 'agent.esch@demo.gemeng.lu');
      const { changeStaff } = await eschAdmin.ok<{ changeStaff: { departments: string[] } }>(
        `mutation { changeStaff(id: "${agent}", change: { departments: ["population", "archives"] }) { departments } }`,
      );
      const withMember = await eschAdmin.ask('mutation { deleteDepartment(code: "archives") { code } }');
      expect(withMember.errors?.[0]).toMatchObject({
        message: 'The department "archives" is still in use (1 staff member); hand them to another department first',
        extensions: { code: 'CONFLICT', members: ['agent.esch@demo.gemeng.lu'] },
      });
      await eschAdmin.ok(
        `mutation { changeStaff(id: "${agent}", change: { departments: ${JSON.stringify(
          changeStaff.departments.filter((d) => d !== 'archives'),
        )} }) { id } }`,
      );
      const deleted = await eschAdmin.ok<{ deleteDepartment: { code: string } }>(
        'mutation { deleteDepartment(code: "archives") { code } }',
      );
      expect(deleted.deleteDepartment.code).toBe('archives');
      const { commune } = await eschAdmin.ok<{ commune: { departments: { code: string }[] } }>(
        '{ commune { departments { code } } }',
      );
      expect(commune.departments.map((d) => d.code)).toEqual(expect.arrayContaining(['population', 'sports']));
      expect(commune.departments.map((d) => d.code)).not.toContain('archives');
    });
  });

  describe('dossier types', () => {
    it('enables a service of the catalogue with its own stages, then updates, disables and re-enables it', async () => {
      await eschDepartment('weddings');
      const stages = [
        stage('received', { notifies: true, names: { fr: 'Reçu', de: 'Eingegangen' } }),
        stage('documents-check', { names: { fr: 'Vérification', de: 'Prüfung' } }),
        stage('closed', { final: true, notifies: true, names: { fr: 'Clôturé', de: 'Abgeschlossen' } }),
      ];
      const { enableDossierType } = await eschAdmin.ok<{ enableDossierType: DossierTypeView }>(ENABLE, {
        input: { serviceTypeCode: 'marriage-file', departmentCode: 'weddings', normDays: 25, stages },
      });
      expect(enableDossierType).toMatchObject({
        code: 'marriage-file',
        name: 'Dossier de mariage',
        normDays: 25,
        enabled: true,
        department: { code: 'weddings', name: 'Service weddings' },
      });
      expect(enableDossierType.stages.map((s) => [s.code, s.name, s.notifiesCitizen, s.final])).toEqual([
        ['received', 'Reçu', true, false],
        ['documents-check', 'Vérification', false, false],
        ['closed', 'Clôturé', true, true],
      ]);
      // What was not given comes from the catalogue.
      expect(enableDossierType.documents.map((d) => [d.code, d.required])).toEqual([
        ['identity-card', true],
        ['birth-certificate', true],
        ['residence-certificate', true],
        ['certificate-of-custom', false],
      ]);

      const { updateDossierType } = await eschAdmin.ok<{ updateDossierType: DossierTypeView }>(UPDATE, {
        code: 'marriage-file',
        input: {
          normDays: 30,
          departmentCode: 'population',
          stages: [...stages.slice(0, 2), stage('ceremony-date', { notifies: true }), stages[2]],
          documents: [{ code: 'identity-card', names: { fr: "Carte d'identité" }, required: true }],
        },
      });
      expect(updateDossierType).toMatchObject({ normDays: 30, department: { code: 'population' } });
      expect(updateDossierType.stages.map((s) => s.code)).toEqual([
        'received',
        'documents-check',
        'ceremony-date',
        'closed',
      ]);
      expect(updateDossierType.documents).toEqual([
        { code: 'identity-card', name: "Carte d'identité", required: true },
      ]);

      const listed = async () =>
        (await eschCitizen.ok<{ dossierTypes: { code: string }[] }>('{ dossierTypes { code } }')).dossierTypes.map(
          (t) => t.code,
        );
      expect(await listed()).toContain('marriage-file');
      const disabled = await eschAdmin.ok<{ disableDossierType: { enabled: boolean } }>(
        'mutation { disableDossierType(code: "marriage-file") { enabled } }',
      );
      expect(disabled.disableDossierType.enabled).toBe(false);
      expect(await listed()).not.toContain('marriage-file');
      expect((await eschTypes()).find((t) => t.code === 'marriage-file')?.enabled).toBe(false);
      const again = await eschAdmin.ask(ENABLE, {
        input: { serviceTypeCode: 'marriage-file', departmentCode: 'population' },
      });
      expect(again.errors?.[0]).toMatchObject({
        message: 'The commune already has "marriage-file", disabled: re-enable it instead',
        extensions: { code: 'CONFLICT' },
      });
      const reenabled = await eschAdmin.ok<{ reenableDossierType: { enabled: boolean; normDays: number } }>(
        'mutation { reenableDossierType(code: "marriage-file") { enabled normDays } }',
      );
      expect(reenabled.reenableDossierType).toEqual({ enabled: true, normDays: 30 });
      expect(await listed()).toContain('marriage-file');
    });

    it('reports every problem of a dossier type at once, with its path, and keeps nothing of it', async () => {
      const noFinal = await eschAdmin.refusal(ENABLE, {
        input: {
          serviceTypeCode: 'civil-partnership',
          departmentCode: 'parks',
          normDays: 0,
          stages: [stage('received'), stage('received'), stage('in-review')],
        },
      });
      expect(noFinal).toEqual({
        code: 'BAD_USER_INPUT',
        paths: ['departmentCode', 'stages.1.code', 'stages', 'normDays'],
      });
      const finalNotLast = await eschAdmin.refusal(ENABLE, {
        input: {
          serviceTypeCode: 'civil-partnership',
          departmentCode: 'population',
          stages: [stage('received'), stage('closed', { final: true }), stage('archived')],
        },
      });
      expect(finalNotLast).toEqual({ code: 'BAD_USER_INPUT', paths: ['stages.1.final', 'stages.2.final'] });
      // Hesperange offers lb, fr and de only.
      const english = await hesperangeAdmin.refusal(ENABLE, {
        input: {
          serviceTypeCode: 'death-declaration',
          departmentCode: 'population',
          names: { lb: 'Stierffall', en: 'Death' },
          stages: [
            stage('received', { names: { lb: 'Empfaangen', en: 'Received' } }),
            stage('closed', { final: true, names: { lb: 'Zou' } }),
          ],
        },
      });
      expect(english).toEqual({ code: 'BAD_USER_INPUT', paths: ['names.en', 'stages.0.names.en'] });
      expect(
        await eschAdmin.refusal(ENABLE, { input: { serviceTypeCode: 'teleportation', departmentCode: 'population' } }),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['serviceTypeCode'] });
      expect(
        await eschAdmin.refusal(ENABLE, { input: { serviceTypeCode: 'interview', departmentCode: 'population' } }),
      ).toEqual({ code: 'CONFLICT', paths: [] });
      expect(
        await eschAdmin.refusal(UPDATE, { code: 'interview', input: { normDays: 251, departmentCode: 'parks' } }),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['departmentCode', 'normDays'] });
      expect((await eschTypes()).map((t) => t.code)).not.toContain('civil-partnership');
      expect((await eschTypes()).find((t) => t.code === 'interview')?.normDays).toBe(10);
    });

    it('keeps every stage that open dossiers are in, and refuses to delete their department', async () => {
      await eschDepartment('commerce');
      const enabled = await eschAdmin.ok<{ enableDossierType: DossierTypeView }>(ENABLE, {
        input: { serviceTypeCode: 'business-permit', departmentCode: 'commerce' },
      });
      expect(enabled.enableDossierType.stages.map((s) => s.code)).toEqual([
        'received',
        'documents-check',
        'in-review',
        'decision',
      ]);
      // A dossier a citizen submitted earlier, now being reviewed.
      const admin = new Client({ connectionString: api.db.adminUrl });
      await admin.connect();
      try {
        await admin.query(
          `INSERT INTO t_esch.dossier (reference, dossier_type_id, citizen_name, citizen_email, citizen_locale,
             department_id, stage_code, subject, description, preferred_channel, due_on)
           SELECT 'ESCH-2026-900001', t.id, 'Anne Weber', 'anne.weber@example.lu', 'fr', t.department_id,
             'in-review', 'Bakery on Rue de l''Alzette', '', 'in_person', current_date + 30
           FROM t_esch.dossier_type t WHERE t.code = 'business-permit'`,
        );
      } finally {
        await admin.end();
      }
      const without = await eschAdmin.ask(UPDATE, {
        code: 'business-permit',
        input: { stages: [stage('received'), stage('documents-check'), stage('decision', { final: true })] },
      });
      expect(without.errors?.[0]).toMatchObject({
        message:
          'Open dossiers are in stages that the new list removes or makes final: "in-review" (1 open dossier); keep them, as stages before the final one',
        extensions: { code: 'CONFLICT', stages: ['in-review'] },
      });
      const madeFinal = await eschAdmin.refusal(UPDATE, {
        code: 'business-permit',
        input: { stages: [stage('received'), stage('in-review', { final: true })] },
      });
      expect(madeFinal.code).toBe('CONFLICT');
      const kept = await eschAdmin.ok<{ updateDossierType: DossierTypeView }>(UPDATE, {
        code: 'business-permit',
        input: { stages: [stage('received'), stage('in-review'), stage('decision', { final: true })] },
      });
      expect(kept.updateDossierType.stages.map((s) => s.code)).toEqual(['received', 'in-review', 'decision']);

      const inUse = await eschAdmin.ask('mutation { deleteDepartment(code: "commerce") { code } }');
      expect(inUse.errors?.[0]).toMatchObject({
        message:
          'The department "commerce" is still in use (1 dossier, 1 dossier type); hand them to another department first',
        extensions: { code: 'CONFLICT' },
      });
    });
  });

  describe('who may configure', () => {
    const mutations = [
      ['createDepartment', 'mutation { createDepartment(input: { code: "intruders", names: { fr: "X" } }) { code } }'],
      ['updateDepartment', 'mutation { updateDepartment(code: "population", input: { position: 9 }) { code } }'],
      ['deleteDepartment', 'mutation { deleteDepartment(code: "technical") { code } }'],
      [
        'enableDossierType',
        'mutation { enableDossierType(input: { serviceTypeCode: "burial-concession", departmentCode: "social" }) { code } }',
      ],
      ['updateDossierType', 'mutation { updateDossierType(code: "interview", input: { normDays: 99 }) { code } }'],
      ['disableDossierType', 'mutation { disableDossierType(code: "interview") { code } }'],
      ['reenableDossierType', 'mutation { reenableDossierType(code: "interview") { code } }'],
    ] as const;

    it('refuses these mutations to citizens and agents (FORBIDDEN) and to anonymous callers, and changes nothing', async () => {
      for (const [name, mutation] of mutations) {
        expect({ name, ...(await eschCitizen.refusal(mutation)) }).toEqual({ name, code: 'FORBIDDEN', paths: [] });
        expect({ name, ...(await eschAgent.refusal(mutation)) }).toEqual({ name, code: 'FORBIDDEN', paths: [] });
        expect({ name, ...(await eschAnonymous.refusal(mutation)) }).toEqual({
          name,
          code: 'UNAUTHENTICATED',
          paths: [],
        });
      }
      expect((await eschCitizen.refusal('{ allDossierTypes { code } }')).code).toBe('FORBIDDEN');
      const types = await eschTypes();
      expect(types.find((t) => t.code === 'interview')).toMatchObject({ enabled: true, normDays: 10 });
      expect(types.map((t) => t.code)).not.toContain('burial-concession');
      const { commune } = await eschAdmin.ok<{ commune: { departments: { code: string; position: number }[] } }>(
        '{ commune { departments { code position } } }',
      );
      expect(commune.departments.map((d) => d.code)).toEqual(expect.arrayContaining(['population', 'technical']));
      expect(commune.departments.map((d) => d.code)).not.toContain('intruders');
      expect(commune.departments.find((d) => d.code === 'population')?.position).not.toBe(9);
    });

    it("keeps Dudelange's administrator out of Esch's configuration", async () => {
      const department = await eschDepartment('youth');
      await eschAdmin.ok(ENABLE, { input: { serviceTypeCode: 'childcare-enrolment', departmentCode: 'youth' } });
      const eschType = (await eschTypes()).find((t) => t.code === 'childcare-enrolment');
      const eschAgentId = await staffId(eschAdmin, 'agent.esch@demo.gemeng.lu');

      // Esch's administrator session replayed on Dudelange's host, and Dudelange's on Esch's: anonymous there.
      const eschCookie = eschAdmin.browser.cookies(`esch.localhost:${world.apiPort}`).get('gemeng.sid');
      const dudelangeCookie = dudelangeAdmin.browser.cookies(`dudelange.localhost:${world.apiPort}`).get('gemeng.sid');
      expect(eschCookie && dudelangeCookie).toBeTruthy();
      const replayedOnDudelange = new Caller(world, new Browser(), 'dudelange.localhost');
      replayedOnDudelange.browser.cookies(`dudelange.localhost:${world.apiPort}`).set('gemeng.sid', eschCookie!);
      const replayedOnEsch = new Caller(world, new Browser(), 'esch.localhost');
      replayedOnEsch.browser.cookies(`esch.localhost:${world.apiPort}`).set('gemeng.sid', dudelangeCookie!);
      expect((await replayedOnDudelange.refusal(mutations[0][1])).code).toBe('UNAUTHENTICATED');
      expect(
        (await replayedOnEsch.refusal('mutation { disableDossierType(code: "childcare-enrolment") { code } }')).code,
      ).toBe('UNAUTHENTICATED');
      expect((await replayedOnEsch.refusal('{ allDossierTypes { id } }')).code).toBe('UNAUTHENTICATED');

      // Logged in on Esch's host, Dudelange's administrator is a citizen there.
      const visitor = await loggedIn('esch.localhost', 'admin.dudelange@demo.gemeng.lu');
      expect((await visitor.refusal('mutation { deleteDepartment(code: "youth") { code } }')).code).toBe('FORBIDDEN');
      expect((await visitor.refusal('{ allDossierTypes { id } }')).code).toBe('FORBIDDEN');

      // On Dudelange's host, Esch's codes and ids name nothing.
      expect(
        (await dudelangeAdmin.refusal('mutation { updateDepartment(code: "youth", input: { position: 0 }) { code } }'))
          .code,
      ).toBe('NOT_FOUND');
      expect(
        (await dudelangeAdmin.refusal('mutation { disableDossierType(code: "childcare-enrolment") { code } }')).code,
      ).toBe('NOT_FOUND');
      expect((await dudelangeAdmin.refusal('mutation { deleteDepartment(code: "youth") { code } }')).code).toBe(
        'NOT_FOUND',
      );
      expect(
        await dudelangeAdmin.refusal(ENABLE, {
          input: { serviceTypeCode: 'childcare-enrolment', departmentCode: 'youth' },
        }),
      ).toEqual({ code: 'BAD_USER_INPUT', paths: ['departmentCode'] });
      expect(
        (
          await dudelangeAdmin.refusal(
            `mutation { changeStaff(id: "${eschAgentId}", change: { departments: [] }) { id } }`,
          )
        ).code,
      ).toBe('NOT_FOUND');
      const theirs = await dudelangeAdmin.ok<{
        allDossierTypes: { id: string; department: { id: string } }[];
        commune: { departments: { id: string }[] };
      }>('{ allDossierTypes { id department { id } } commune { departments { id } } }');
      const ids = [
        ...theirs.allDossierTypes.flatMap((t) => [t.id, t.department.id]),
        ...theirs.commune.departments.map((d) => d.id),
      ];
      expect(ids).not.toContain(department.id);
      expect(ids).not.toContain(eschType?.id);

      // Esch's configuration is as its administrator left it.
      expect((await eschTypes()).find((t) => t.code === 'childcare-enrolment')).toMatchObject({
        enabled: true,
        department: { code: 'youth' },
      });
    });
  });
});
