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
