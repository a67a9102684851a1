import { startTestApi, type TestApi } from './support/test-api';

describe('Query limits', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch'] });
  });
  afterAll(() => api.close());

  it('refuses a query that asks for too many fields, before any resolver runs', async () => {
    const aliases = Array.from({ length: 400 }, (_, i) => `c${i}: commune { slug departments { code name } }`).join(
      ' ',
    );
    const result = await api.on('esch.localhost').query(`{ ${aliases} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({
      message: 'The query asks for 2000 fields; at most 1000 are allowed',
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expect(result.data).toBeUndefined();
  });

  it("answers an ordinary page's query", async () => {
    const result = await api
      .on('esch.localhost')
      .ok('{ commune { slug theme { primaryColor } contact { openingHours { days } } } }');
    expect(result).toMatchObject({ commune: { slug: 'esch' } });
  });
});

describe('GraphQL in production', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch'], config: { production: true } });
  });
  afterAll(() => api.close());

  it('refuses introspection', async () => {
    const result = await api.on('esch.localhost').query('{ __schema { queryType { name } } }');
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0].message).toMatch(/introspection/i);
  });

  it('shows no landing page', async () => {
    const page = await api.http().get('/graphql').set('host', 'esch.localhost').set('accept', 'text/html');
    expect(page.type).not.toBe('text/html');
    expect(page.text).not.toMatch(/<html/i);
  });

  it('refuses a cross-site form post (CSRF prevention)', async () => {
    const post = await api
      .http()
      .post('/graphql')
      .set('host', 'esch.localhost')
      .set('content-type', 'text/plain')
      .send('{"query":"{ commune { slug } }"}');
    expect(post.status).toBe(400);
    expect(post.text).toMatch(/CSRF/i);
  });
});
