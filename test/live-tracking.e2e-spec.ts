import type { AddressInfo } from 'node:net';
import { CommuneDirectory } from '@gemeng/communes';
import { dossierTopic } from '@gemeng/dossiers';
import { LiveEvents } from '@gemeng/live';
import { Browser } from './support/browser';
import { LoginWorld, type GraphQLAnswer } from './support/login-world';
import {
  SubscriptionClient,
  tryUpgrade,
  type SubscriptionFeed,
  type SubscriptionTarget,
} from './support/subscriptions';
import { startTestApi, type TestApi } from './support/test-api';

const ESCH = 'esch.localhost';
const DUDELANGE = 'dudelange.localhost';

const DOSSIER_UPDATED = `
  subscription($id: ID!) {
    dossierUpdated(id: $id) {
      dossier { id stage { code name } }
      event { kind visibility actorKind text toStage }
    }
  }`;

interface DossierUpdated {
  dossierUpdated: {
    dossier: { id: string; stage: { code: string; name: string } };
    event: { kind: string; visibility: string; actorKind: string; text: string | null; toStage: string | null };
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

/**
 * Citizens follow their dossier over graphql-ws on one API instance while agents work it through HTTP
 * requests on another; both instances share the database, as replicas behind one address do.
 */
describe('Live tracking of a dossier', () => {
  let world: LoginWorld;
  let second: TestApi;
  let secondPort: number;
  let eschId: string;
  let dossierId: string;
  const citizen = new Browser();
  const agent = new Browser();
  const stranger = new Browser(); // another citizen, logged in on Esch
  const clients: SubscriptionClient[] = [];

  /** On the second instance, as a browser on that page with the cookies it got from the first. */
  const onSecond = (host: string, browser?: Browser, extra: Partial<SubscriptionTarget> = {}): SubscriptionTarget => ({
    port: secondPort,
    host: `${host}:${secondPort}`,
    browser,
    cookieHost: `${host}:${world.apiPort}`,
    origin: browser ? `http://${host}:${secondPort}` : undefined,
    ...extra,
  });

  async function connect(target: SubscriptionTarget): Promise<SubscriptionClient> {
    const client = await SubscriptionClient.connect(target);
    clients.push(client);
    return client;
  }

  async function gql<T>(browser: Browser, query: string, variables: Record<string, unknown> = {}) {
    const page = await browser.send('POST', world.url(ESCH, '/graphql'), { json: { query, variables } });
    const answer = JSON.parse(page.body) as GraphQLAnswer<T>;
    if (answer.errors?.length || !answer.data) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  }

  const subscriptions = (): number => second.app.get(LiveEvents).subscriptionCount(eschId, dossierTopic(dossierId));

  /** Subscribes to the dossier and waits until the second instance listens for it. */
  async function follow(client: SubscriptionClient): Promise<SubscriptionFeed<DossierUpdated>> {
    const before = subscriptions();
    const feed = client.subscribe<DossierUpdated>(DOSSIER_UPDATED, { id: dossierId });
    await eventually(() => subscriptions() > before || feed.ended !== undefined, 'the subscription is live');
    return feed;
  }

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange']);
    second = await startTestApi({ database: world.api.db, config: world.api.config });
    secondPort = (second.app.getHttpServer().address() as AddressInfo).port;
    eschId = world.api.app.get(CommuneDirectory).bySlug('esch')!.id;
    await world.logIn(citizen, ESCH, 'citizen.esch@demo.gemeng.lu');
    await world.logIn(agent, ESCH, 'agent.esch@demo.gemeng.lu');
    await world.logIn(stranger, ESCH, 'citizen.dudelange@demo.gemeng.lu');
    const { submitDossier } = await gql<{ submitDossier: { id: string } }>(
      citizen,
      `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { id } }`,
      {
        input: {
          typeCode: 'interview',
          subject: 'A bench in the park',
          description: 'I would like to talk about a bench near the playground.',
          preferredChannel: 'IN_PERSON',
          preferredDates: [],
          documents: [],
        },
      },
    );
    dossierId = submitDossier.id;
    await gql(agent, `mutation($id: ID!) { assignDossier(id: $id) { id } }`, { id: dossierId });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await second?.close();
    await world?.stop();
  });

  it('a subscription client receives the stage change made by an agent in another request', async () => {
    const client = await connect(onSecond(ESCH, citizen));
    const feed = await follow(client);
    await gql(agent, `mutation($id: ID!) { moveDossier(id: $id, stageCode: "in-review") { id } }`, { id: dossierId });
    const update = await feed.next();
    expect(update.errors).toBeUndefined();
    expect(update.data?.dossierUpdated).toMatchObject({
      dossier: { id: dossierId, stage: { code: 'in-review' } },
      event: { kind: 'STAGE_CHANGED', visibility: 'PUBLIC', actorKind: 'staff' },
    });
    expect(update.data?.dossierUpdated.event.toStage).toBe(update.data?.dossierUpdated.dossier.stage.name);
  });

  it("never pushes an agent's internal note to the citizen, while the agent's own subscription gets it", async () => {
    const citizenFeed = await follow(await connect(onSecond(ESCH, citizen)));
    const agentFeed = await follow(await connect(onSecond(ESCH, agent)));
    const internal = 'Check the cadastre before answering';
    await gql(
      agent,
      `mutation($id: ID!) { addDossierNote(id: $id, text: "${internal}", visibility: INTERNAL) { id } }`,
      {
        id: dossierId,
      },
    );
    await gql(
      agent,
      `mutation($id: ID!) { addDossierNote(id: $id, text: "Please bring a photo.", visibility: PUBLIC) { id } }`,
      {
        id: dossierId,
      },
    );
    expect((await agentFeed.next()).data?.dossierUpdated.event).toMatchObject({
      visibility: 'INTERNAL',
      text: internal,
    });
    expect((await agentFeed.next()).data?.dossierUpdated.event).toMatchObject({ text: 'Please bring a photo.' });
    const first = await citizenFeed.next();
    expect(first.data?.dossierUpdated.event).toMatchObject({ visibility: 'PUBLIC', text: 'Please bring a photo.' });
    const rest = await citizenFeed.received(300);
    expect(JSON.stringify([first, ...rest])).not.toContain(internal);
  });

  it('unsubscribes on the server when the client ends its subscription or closes the connection', async () => {
    const client = await connect(onSecond(ESCH, citizen));
    const before = subscriptions();
    const feed = await follow(client);
    expect(subscriptions()).toBe(before + 1);
    feed.unsubscribe();
    await eventually(() => subscriptions() === before, 'the subscription is ended on the server');
    await follow(client);
    await follow(client);
    await client.close();
    await eventually(() => subscriptions() === before, 'the connection’s subscriptions are ended');
  });

  it('stops pushing to a connection whose session ended (logout), and closes it', async () => {
    const leaving = new Browser();
    await world.logIn(leaving, ESCH, 'citizen.esch@demo.gemeng.lu');
    const client = await connect(onSecond(ESCH, leaving));
    const feed = await follow(client);
    await leaving.send('POST', world.url(ESCH, '/auth/logout'));
    await gql(
      agent,
      `mutation($id: ID!) { addDossierNote(id: $id, text: "After the logout", visibility: PUBLIC) { id } }`,
      {
        id: dossierId,
      },
    );
    await eventually(() => feed.ended !== undefined, 'the connection is closed');
    expect(client.closed).toEqual({ code: 4401, reason: 'The session has ended; log in again' });
    expect(JSON.stringify(await feed.received(0))).not.toContain('After the logout');
  });

  it('says goodbye to its open connections when an instance shuts down, then stops listening', async () => {
    const third = await startTestApi({ database: world.api.db, config: world.api.config });
    const port = (third.app.getHttpServer().address() as AddressInfo).port;
    const live = third.app.get(LiveEvents);
    const client = await SubscriptionClient.connect({
      port,
      host: `${ESCH}:${port}`,
      browser: citizen,
      cookieHost: `${ESCH}:${world.apiPort}`,
    });
    const feed = client.subscribe<DossierUpdated>(DOSSIER_UPDATED, { id: dossierId });
    await eventually(() => live.subscriptionCount(eschId, dossierTopic(dossierId)) === 1, 'the subscription is live');
    await third.close();
    expect(client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(feed.ended).toBe('closed 1001: Going away');
    expect(live.subscriptionCount()).toBe(0);
  });

  describe("from the attacker's side", () => {
    it('refuses a subscription with no session: UNAUTHENTICATED, and nothing is pushed', async () => {
      const feed = (await connect(onSecond(ESCH))).subscribe<DossierUpdated>(DOSSIER_UPDATED, { id: dossierId });
      expect(await feed.next()).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
      });
      await eventually(() => feed.ended === 'complete', 'the operation is complete');
    });

    it("refuses another citizen's subscription to the dossier, and nothing is pushed", async () => {
      const feed = (await connect(onSecond(ESCH, stranger))).subscribe<DossierUpdated>(DOSSIER_UPDATED, {
        id: dossierId,
      });
      const refused = await feed.next();
      expect(refused.data).toBeUndefined();
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(refused.errors?.[0].extensions?.code);
      await eventually(() => feed.ended === 'complete', 'the operation is complete');
      await gql(
        agent,
        `mutation($id: ID!) { addDossierNote(id: $id, text: "Not for strangers", visibility: PUBLIC) { id } }`,
        {
          id: dossierId,
        },
      );
      expect(await feed.received(300)).toEqual([]);
    });

    it("gives the Esch session cookie replayed on Dudelange's host nothing of Esch's dossier", async () => {
      const replayed = onSecond(DUDELANGE, citizen, { cookieHost: `${ESCH}:${world.apiPort}` });
      const feed = (await connect(replayed)).subscribe<DossierUpdated>(DOSSIER_UPDATED, { id: dossierId });
      expect(await feed.next()).toEqual({
        errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
      });
    });

    it('refuses an upgrade from a page of another site, which would ride on the citizen’s cookie', async () => {
      const foreign = onSecond(ESCH, citizen, { origin: 'https://evil.example' });
      const answer = await tryUpgrade(foreign);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({
        errors: [
          {
            message: 'WebSocket connections from pages of another site are refused',
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
      await expect(SubscriptionClient.connect(foreign)).rejects.toThrow('The connection was closed');
      expect((await tryUpgrade(onSecond(ESCH, citizen))).status).toBe(101);
    });

    it('refuses an upgrade for an unknown host, and for a commune once it is suspended', async () => {
      const unknown = await tryUpgrade(onSecond('nowhere.localhost'));
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body).errors[0].extensions.code).toBe('COMMUNE_NOT_FOUND');

      const open = await connect(onSecond(DUDELANGE));
      await world.api
        .on('operator.localhost')
        .asOperator()
        .ok('mutation { suspendCommune(slug: "dudelange", input: { reason: "Unpaid invoice" }) { status } }');
      try {
        const directory = second.app.get(CommuneDirectory);
        await eventually(() => directory.bySlug('dudelange')?.status === 'suspended', 'the second instance knows');
        const suspended = await tryUpgrade(onSecond(DUDELANGE));
        expect(suspended.status).toBe(503);
        expect(suspended.headers['retry-after']).toBe('3600');
        expect(JSON.parse(suspended.body).errors[0].extensions.code).toBe('COMMUNE_SUSPENDED');
        // A connection opened before the suspension is closed at its next operation.
        const feed = open.subscribe(DOSSIER_UPDATED, { id: dossierId });
        await eventually(() => open.closed !== undefined, 'the open connection is closed');
        expect(open.closed).toEqual({ code: 4403, reason: 'The portal of dudelange is suspended' });
        expect(await feed.received(0)).toEqual([]);
      } finally {
        await world.api
          .on('operator.localhost')
          .asOperator()
          .ok('mutation { resumeCommune(slug: "dudelange") { status } }');
      }
    });
  });

  describe('the limits of HTTP requests', () => {
    it('refuses a subscription sent over HTTP, where no guard would run before its resolver', async () => {
      const page = await new Browser().send('POST', world.url(ESCH, '/graphql'), {
        json: { query: DOSSIER_UPDATED, variables: { id: dossierId } },
      });
      expect(page.status).toBe(400);
      expect(JSON.parse(page.body)).toEqual({
        errors: [
          {
            message: 'Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
    });

    it('serves only subscriptions: queries and mutations belong on HTTP', async () => {
      const client = await connect(onSecond(ESCH, citizen));
      const query = await client.subscribe('{ me { email } }').next();
      expect(query.errors?.[0]).toMatchObject({
        message: 'Only subscriptions are served over WebSocket; send a query to POST /graphql',
        extensions: { code: 'BAD_REQUEST' },
      });
      const invalid = await client.subscribe('subscription { dossierUpdated(id: "x") { nope } }').next();
      expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('refuses an operation that asks for more than 1,000 fields, before any resolver runs', async () => {
      const client = await connect(onSecond(ESCH, citizen));
      const fields = Array.from({ length: 600 }, (_, i) => `f${i}: dossier { id }`).join(' ');
      const before = subscriptions();
      const refused = await client
        .subscribe(`subscription($id: ID!) { dossierUpdated(id: $id) { ${fields} } }`, {
          id: dossierId,
        })
        .next();
      expect(refused.errors?.[0]).toMatchObject({
        message: 'The query asks for 1201 fields; at most 1000 are allowed',
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      });
      expect(subscriptions()).toBe(before);
    });

    it('serves at most 20 subscriptions per connection', async () => {
      const client = await connect(onSecond(ESCH, citizen));
      for (let n = 0; n < 20; n++) await follow(client);
      const refused = await client.subscribe(DOSSIER_UPDATED, { id: dossierId }).next();
      expect(refused.errors?.[0]).toMatchObject({
        message: 'At most 20 subscriptions are served per connection; end one first',
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
      });
    });
  });
});
