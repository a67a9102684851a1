import { demoDefinition, startTestApi, type TestApi } from './support/test-api';

const COMMUNE_QUERY = '{ commune { slug name(locale: "fr") locales theme { primaryColor } contact { phone } } }';

describe('Host routing', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch', 'dudelange', 'luxembourg'] });
  });
  afterAll(() => api.close());

  it('answers each commune with its own data on its own subdomain', async () => {
    const esch = await api.on('esch.localhost:3000').ok(COMMUNE_QUERY);
    expect(esch).toEqual({
      commune: {
        slug: 'esch',
        name: 'Esch-sur-Alzette',
        locales: ['lb', 'fr', 'de', 'en'],
        theme: { primaryColor: '#b5121b' },
        contact: { phone: '2754 2533' },
      },
    });
    const dudelange = await api.on('dudelange.localhost:3000').ok(COMMUNE_QUERY);
    expect(dudelange).toMatchObject({
      commune: { slug: 'dudelange', name: 'Dudelange', theme: { primaryColor: '#00529b' } },
    });
  });

  it("serves tenant data from the commune's own schema", async () => {
    const query = '{ commune { departments { code name } } }';
    const esch = await api
      .on('esch.localhost')
      .with('accept-language', 'en')
      .ok<{ commune: { departments: { code: string; name: string }[] } }>(query);
    expect(esch.commune.departments.map((d) => d.code)).toEqual(['population', 'technical', 'social']);
    expect(esch.commune.departments[0].name).toBe("Citizens' office");
    const dudelange = await api.on('dudelange.localhost').ok<{ commune: { departments: { code: string }[] } }>(query);
    expect(dudelange.commune.departments.map((d) => d.code)).toEqual(['population', 'environment']);
  });

  it("speaks the caller's language when the commune offers it, else its default", async () => {
    const query = '{ commune { name } }';
    expect(await api.on('esch.localhost').with('accept-language', 'de-LU,de;q=0.9').ok(query)).toEqual({
      commune: { name: 'Esch an der Alzette' },
    });
    expect(await api.on('esch.localhost').with('accept-language', 'pt').ok(query)).toEqual({
      commune: { name: 'Esch-sur-Alzette' },
    });
    const bad = await api.on('esch.localhost').query('{ commune { name(locale: "xx") } }');
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('ignores case, a trailing dot and the port of the Host header', async () => {
    expect(await api.on('ESCH.LocalHost.:8080').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'esch' } });
  });

  it('answers on a verified custom domain', async () => {
    expect(await api.on('portal.vdl.lu').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'luxembourg' } });
  });

  it('refuses an unknown host with a clear 404, in JSON for GraphQL and as a page otherwise', async () => {
    const graphql = await api.on('nowhere.localhost').query('{ commune { slug } }');
    expect(graphql.status).toBe(404);
    expect(graphql.errors).toEqual([
      { message: 'No commune answers at nowhere.localhost', extensions: { code: 'COMMUNE_NOT_FOUND' } },
    ]);
    const page = await api.http().get('/').set('host', 'www.example.org');
    expect(page.status).toBe(404);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('No commune answers at www.example.org');
    expect(page.text).toContain('COMMUNE_NOT_FOUND');
  });

  it('does not treat a deeper subdomain or the bare base domain as a commune', async () => {
    expect((await api.on('evil.esch.localhost').query('{ commune { slug } }')).status).toBe(404);
    expect((await api.on('localhost').query('{ commune { slug } }')).status).toBe(404);
  });

  it('trusts only the Host header, not a commune named elsewhere in the request', async () => {
    const result = await api
      .on('esch.localhost')
      .with('x-forwarded-host', 'dudelange.localhost')
      .with('x-commune', 'dudelange')
      .ok('{ commune { slug } }');
    expect(result).toEqual({ commune: { slug: 'esch' } });
  });

  it('answers a suspended commune with its own code, and again once resumed', async () => {
    const operator = api.on('operator.localhost').asOperator();
    await operator.ok('mutation { suspendCommune(slug: "dudelange", input: { reason: "Unpaid invoice" }) { status } }');
    const suspended = await api.on('dudelange.localhost').query('{ commune { slug } }');
    expect(suspended.status).toBe(503);
    expect(suspended.errors?.[0].extensions?.code).toBe('COMMUNE_SUSPENDED');
    const page = await api.http().get('/').set('host', 'dudelange.localhost');
    expect(page.status).toBe(503);
    expect(page.text).toContain('COMMUNE_SUSPENDED');
    // Another commune is not affected.
    expect((await api.on('esch.localhost').query('{ commune { slug } }')).status).toBe(200);
    await operator.ok('mutation { resumeCommune(slug: "dudelange") { status } }');
    expect(await api.on('dudelange.localhost').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'dudelange' } });
  });

  it('leaks no internals in errors', async () => {
    const result = await api.on('esch.localhost').query('{ commune { nope } }');
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(result.errors)).not.toMatch(/stack|at .*\.js|SELECT/i);
  });

  it("serves the commune's theme as CSS custom properties and a front page in its language", async () => {
    const css = await api.http().get('/theme.css').set('host', 'esch.localhost');
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css');
    expect(css.text).toContain('--gemeng-primary: #b5121b;');
    const home = await api.http().get('/').set('host', 'esch.localhost').set('accept-language', 'lb');
    expect(home.text).toContain('<html lang="lb">');
    expect(home.text).toContain('Esch-Uelzecht');
    expect(home.text).toContain('2754 2533');
  });

  it('reports health on any host, the database included', async () => {
    expect((await api.http().get('/health/live').set('host', '10.0.0.7:3000')).body).toEqual({ status: 'ok' });
    const ready = await api.http().get('/health/ready').set('host', 'unknown.example');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'ok' });
    expect(ready.body.communes).toBeGreaterThanOrEqual(3);
  });

  it('starts answering a newly onboarded commune, and stops answering a removed custom domain', async () => {
    await api.onboard(demoDefinition('hesperange', { customDomains: ['www.hesperange.lu'] }));
    expect(await api.on('hesperange.localhost').ok('{ commune { slug } }')).toEqual({
      commune: { slug: 'hesperange' },
    });
    expect(await api.on('www.hesperange.lu').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'hesperange' } });
    await api
      .on('operator.localhost')
      .asOperator()
      .ok('mutation { updateCommune(slug: "hesperange", changes: { customDomains: [] }) { slug } }');
    expect((await api.on('www.hesperange.lu').query('{ commune { slug } }')).status).toBe(404);
  });
});
