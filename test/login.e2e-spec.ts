import { Browser, parseForm, type Page } from './support/browser';
import { CLIENT, type TestIdentityProvider } from './support/identity-provider';
import { LoginWorld, type GraphQLAnswer } from './support/login-world';
import { startTestApi } from './support/test-api';

/** What the queries of this suite answer; each asks for some of it. */
type Answer = GraphQLAnswer<
  Partial<{
    me: { id: string; email: string; roles: string[]; departments: string[] };
    staff: { id: string; email: string; role: string }[];
    inviteStaff: Record<string, unknown>;
    communes: { slug: string }[];
  }>
>;

describe('Login with OpenID Connect, per commune', () => {
  let world: LoginWorld;
  let provider: TestIdentityProvider;
  let apiPort: number;

  const url = (host: string, path: string): string => world.url(host, path);

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange', 'hesperange']);
    apiPort = world.apiPort;
    provider = world.provider;
  });
  afterAll(() => world?.stop());

  const authorize = (browser: Browser, host: string, email: string, tamper?: (authorizeUrl: URL) => void) =>
    world.authorize(browser, host, email, tamper);
  const logIn = (browser: Browser, host: string, email: string): Promise<Page> => world.logIn(browser, host, email);
  const graphql = (browser: Browser, host: string, query: string): Promise<Answer> =>
    world.graphql<NonNullable<Answer['data']>>(browser, host, query);

  it('logs a citizen in on their commune, with a session for that host only', async () => {
    const browser = new Browser();
    const landed = await logIn(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu');
    expect(landed.status).toBe(303);
    expect(landed.headers.location).toBe('/');
    const cookie = (landed.headers['set-cookie'] as string[]).find((c) => c.startsWith('gemeng.sid='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Domain=/i);
    const me = await graphql(browser, 'esch.localhost', '{ me { name email roles locale } }');
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({ email: 'citizen.esch@demo.gemeng.lu', roles: ['citizen'] });
  });

  it('keeps one profile per commune for the same person', async () => {
    const browser = new Browser();
    await logIn(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu');
    await logIn(browser, 'dudelange.localhost', 'citizen.esch@demo.gemeng.lu');
    const onEsch = await graphql(browser, 'esch.localhost', '{ me { id email } }');
    const onDudelange = await graphql(browser, 'dudelange.localhost', '{ me { id email } }');
    expect(onEsch.data?.me?.email).toBe(onDudelange.data?.me?.email);
    expect(onEsch.data?.me?.id).not.toBe(onDudelange.data?.me?.id);
  });

  it('makes invited staff administrators at their login, and lets them manage the staff', async () => {
    const browser = new Browser();
    await logIn(browser, 'esch.localhost', 'admin.esch@demo.gemeng.lu');
    const me = await graphql(browser, 'esch.localhost', '{ me { roles } }');
    expect(me.data?.me?.roles).toEqual(['citizen', 'agent', 'admin']);
    const invited = await graphql(
      browser,
      'esch.localhost',
      'mutation { inviteStaff(invitation: { email: "New.Agent@Example.lu", role: agent, departments: ["population"] }) { id email role joinedAt } }',
    );
    expect(invited.data?.inviteStaff).toMatchObject({ email: 'new.agent@example.lu', role: 'agent', joinedAt: null });
    const staff = await graphql(browser, 'esch.localhost', '{ staff { email role } }');
    expect(staff.data?.staff?.map((s: { email: string }) => s.email)).toEqual(
      expect.arrayContaining(['admin.esch@demo.gemeng.lu', 'agent.esch@demo.gemeng.lu', 'new.agent@example.lu']),
    );
    const listed = (await graphql(browser, 'esch.localhost', '{ staff { id email } }')).data?.staff ?? [];
    const self = listed.find((s) => s.email === 'admin.esch@demo.gemeng.lu');
    expect(self).toBeDefined();
    const lastAdmin = await graphql(browser, 'esch.localhost', `mutation { revokeStaff(id: "${self?.id}") { id } }`);
    expect(lastAdmin.errors?.[0]).toMatchObject({
      message: 'admin.esch@demo.gemeng.lu is the last administrator of this commune; appoint another first',
      extensions: { code: 'CONFLICT' },
    });
    const demoted = await graphql(
      browser,
      'esch.localhost',
      `mutation { changeStaff(id: "${self?.id}", change: { role: agent }) { id } }`,
    );
    expect(demoted.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('logs the operator in on the operator host only', async () => {
    const browser = new Browser();
    await logIn(browser, 'operator.localhost', 'operator@demo.gemeng.lu');
    const communes = await graphql(browser, 'operator.localhost', '{ communes { slug } }');
    expect(communes.data?.communes?.map((c: { slug: string }) => c.slug)).toEqual(['dudelange', 'esch', 'hesperange']);
    const citizen = new Browser();
    const refused = await logIn(citizen, 'operator.localhost', 'citizen.esch@demo.gemeng.lu');
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('This account is not an operator account.');
  });

  it("lets administrators change staff, and answers NOT_FOUND for another commune's staff", async () => {
    const dudelangeAdmin = new Browser();
    await logIn(dudelangeAdmin, 'dudelange.localhost', 'admin.dudelange@demo.gemeng.lu');
    const foreign = (await graphql(dudelangeAdmin, 'dudelange.localhost', '{ staff { id email } }')).data?.staff ?? [];
    const foreignId = foreign.find((s) => s.email === 'agent.dudelange@demo.gemeng.lu')?.id;
    expect(foreignId).toBeDefined();

    const eschAdmin = new Browser();
    await logIn(eschAdmin, 'esch.localhost', 'admin.esch@demo.gemeng.lu');
    const invited = await graphql(
      eschAdmin,
      'esch.localhost',
      'mutation { inviteStaff(invitation: { email: "moving.agent@example.lu", role: agent, departments: ["population"] }) { id } }',
    );
    const agentId = invited.data?.inviteStaff?.id as string;
    const changed = await graphql(
      eschAdmin,
      'esch.localhost',
      `mutation { changeStaff(id: "${agentId}", change: { departments: ["population", "social"] }) { email role departments } }`,
    );
    expect(changed.data).toEqual({
      changeStaff: { email: 'moving.agent@example.lu', role: 'agent', departments: ['population', 'social'] },
    });
    const notHere = await graphql(eschAdmin, 'esch.localhost', `mutation { revokeStaff(id: "${foreignId}") { id } }`);
    expect(notHere.errors?.[0]).toMatchObject({ message: 'No such staff member', extensions: { code: 'NOT_FOUND' } });
    const missing = await graphql(
      eschAdmin,
      'esch.localhost',
      'mutation { revokeStaff(id: "00000000-0000-4000-8000-000000000000") { id } }',
    );
    // The same answer as for an id that exists nowhere: another commune's ids reveal nothing.
    expect(missing.errors?.[0].message).toBe(notHere.errors?.[0].message);
    expect(missing.errors?.[0].extensions).toEqual(notHere.errors?.[0].extensions);
    const stillThere = (await graphql(dudelangeAdmin, 'dudelange.localhost', '{ staff { email } }')).data?.staff ?? [];
    expect(stillThere.map((s) => s.email)).toContain('agent.dudelange@demo.gemeng.lu');
  });

  it('gives a citizen everything the commune holds about them, and deletes their profile on request', async () => {
    const browser = new Browser();
    await logIn(browser, 'hesperange.localhost', 'citizen.esch@demo.gemeng.lu');
    const exported = await graphql(browser, 'hesperange.localhost', '{ myData }');
    const data = JSON.parse((exported.data as { myData: string }).myData);
    expect(data).toMatchObject({
      commune: 'hesperange',
      profile: { email: 'citizen.esch@demo.gemeng.lu' },
      staffMembership: null,
    });
    const deleted = await graphql(browser, 'hesperange.localhost', 'mutation { deleteMyProfile }');
    expect(deleted.data).toEqual({ deleteMyProfile: true });
    expect((await graphql(browser, 'hesperange.localhost', '{ me { email } }')).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    // The same person elsewhere is untouched.
    await logIn(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu');
    expect((await graphql(browser, 'esch.localhost', '{ me { email } }')).data?.me?.email).toBe(
      'citizen.esch@demo.gemeng.lu',
    );
  });

  describe("from the attacker's side", () => {
    it('treats an Esch session cookie replayed on Dudelange as anonymous', async () => {
      const browser = new Browser();
      await logIn(browser, 'esch.localhost', 'admin.esch@demo.gemeng.lu');
      const stolen = browser.cookies(`esch.localhost:${apiPort}`).get('gemeng.sid') as string;
      const attacker = new Browser();
      attacker.cookies(`dudelange.localhost:${apiPort}`).set('gemeng.sid', stolen);
      const me = await graphql(attacker, 'dudelange.localhost', '{ me { email } }');
      expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const invite = await graphql(
        attacker,
        'dudelange.localhost',
        'mutation { inviteStaff(invitation: { email: "mole@example.lu", role: admin }) { id } }',
      );
      expect(invite.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      // Nor is it the operator's.
      attacker.cookies(`operator.localhost:${apiPort}`).set('gemeng.sid', stolen);
      const communes = await graphql(attacker, 'operator.localhost', '{ communes { slug } }');
      expect(communes.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses admin fields to an agent and to a citizen', async () => {
      const agent = new Browser();
      await logIn(agent, 'esch.localhost', 'agent.esch@demo.gemeng.lu');
      expect((await graphql(agent, 'esch.localhost', '{ me { roles departments } }')).data?.me).toEqual({
        roles: ['citizen', 'agent'],
        departments: ['population'],
      });
      const asAgent = await graphql(
        agent,
        'esch.localhost',
        'mutation { inviteStaff(invitation: { email: "x@example.lu", role: admin }) { id } }',
      );
      expect(asAgent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const citizen = new Browser();
      await logIn(citizen, 'esch.localhost', 'citizen.esch@demo.gemeng.lu');
      expect((await graphql(citizen, 'esch.localhost', '{ staff { email } }')).errors?.[0].extensions?.code).toBe(
        'FORBIDDEN',
      );
    });

    it('refuses a callback with a tampered or missing state', async () => {
      const browser = new Browser();
      const callback = new URL(await authorize(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu'));
      const tampered = new URL(callback);
      tampered.searchParams.set('state', 'forged-state');
      const refused = await browser.send('GET', tampered.toString());
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('Invalid authorization request state.');
      const missing = new URL(callback);
      missing.searchParams.delete('state');
      expect((await browser.send('GET', missing.toString())).status).toBe(403);
      expect((await graphql(browser, 'esch.localhost', '{ me { email } }')).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('refuses a callback replayed after a successful login, and in another browser', async () => {
      const browser = new Browser();
      const callback = await authorize(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu');
      expect((await browser.send('GET', callback)).status).toBe(303);
      expect((await browser.send('GET', callback)).status).toBe(403);
      const other = new Browser();
      const replayed = await other.send('GET', callback);
      expect(replayed.status).toBe(403);
      expect((await graphql(other, 'esch.localhost', '{ me { email } }')).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('refuses an ID token whose nonce is not the one this browser sent', async () => {
      const browser = new Browser();
      const callback = await authorize(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu', (authorizeUrl) =>
        authorizeUrl.searchParams.set('nonce', 'nonce-of-another-login'),
      );
      const refused = await browser.send('GET', callback);
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('ID token contains invalid nonce.');
    });

    it('refuses a provider that is not the configured issuer', async () => {
      const impostor = await startTestApi({
        communes: ['esch'],
        config: { oidc: { issuer: `http://localhost:${provider.port}`, ...CLIENT } },
      });
      try {
        const page = await impostor.http().get('/auth/login').set('host', 'esch.localhost');
        expect(page.status).toBe(503);
        expect(page.text).toContain(`names itself ${provider.issuer}; refusing it`);
      } finally {
        await impostor.close();
      }
    });
  });

  it('logs out here and at the provider', async () => {
    const browser = new Browser();
    await logIn(browser, 'esch.localhost', 'citizen.esch@demo.gemeng.lu');
    const out = await browser.send('POST', url('esch.localhost', '/auth/logout'));
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.location as string);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(url('esch.localhost', '/'));
    const backHome = (next: string): boolean => new URL(next).port === String(apiPort);
    let back = await browser.follow(endSession.toString(), backHome);
    if (back.status === 200) {
      // The provider's logout page submits itself with a script; this browser submits it by hand.
      const { action, fields } = parseForm(back.body, back.url);
      back = await browser.follow(action, backHome, await browser.send('POST', action, { form: fields }));
    }
    expect(new URL(back.headers.location as string, back.url).toString()).toMatch(
      new RegExp(`^${url('esch.localhost', '/')}`),
    );
    expect((await graphql(browser, 'esch.localhost', '{ me { email } }')).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    // The provider forgot the login too: logging in again asks for the password.
    const again = await browser.follow(
      (await browser.send('GET', url('esch.localhost', '/auth/login'))).headers.location as string,
    );
    expect(again.body).toContain('name="password"');
  });
});
