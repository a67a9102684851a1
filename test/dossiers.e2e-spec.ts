import { Client } from 'pg';
import { Browser } from './support/browser';
import { LoginWorld } from './support/login-world';
import { pdfBytes, upload, uploadedId } from './support/uploads';

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; problems?: { path: string }[] } }[];
}

const ESCH = 'esch.localhost';
const DUDELANGE = 'dudelange.localhost';

const DOSSIER_FIELDS = `
  id reference typeCode typeName subject description preferredChannel phone preferredDates
  stage { code name final } stages { code name reached current final }
  department { code name } citizen { name email } submittedAt dueOn overdue awaitingDocuments
  proposedAppointment { startsAt channel } result resultMessage closedAt
  assignee { name }
  history { id kind visibility actorKind actorName text fromStage toStage fromDepartment toDepartment
            requestedDocuments documentNames appointment { startsAt channel } result clientAddress userAgent }
  documents { id fileName contentType sizeBytes label downloadUrl }
`;

interface Dossier {
  id: string;
  reference: string;
  typeCode: string;
  subject: string;
  stage: { code: string; name: string; final: boolean };
  stages: { code: string; reached: boolean; current: boolean; final: boolean }[];
  department: { code: string; name: string };
  dueOn: string;
  overdue: boolean;
  awaitingDocuments: boolean;
  proposedAppointment: { startsAt: string; channel: string } | null;
  result: string | null;
  resultMessage: string | null;
  closedAt: string | null;
  assignee: { name: string } | null;
  history: {
    kind: string;
    visibility: string;
    actorKind: string;
    actorName: string;
    text: string | null;
    fromStage: string | null;
    toStage: string | null;
    fromDepartment: string | null;
    toDepartment: string | null;
    requestedDocuments: string[];
    documentNames: string[];
    clientAddress: string | null;
    userAgent: string | null;
  }[];
  documents: { id: string; fileName: string; contentType: string; label: string | null; downloadUrl: string }[];
}

describe('Interview requests: the citizen and agent journey', () => {
  let world: LoginWorld;
  let admin: Client;
  const citizen = new Browser();
  const agent = new Browser();
  const escher = new Browser(); // Esch's administrator
  const stranger = new Browser(); // another citizen, logged in on Esch
  const technicalAgent = new Browser(); // an agent of Esch's technical department
  const dudelangeAdmin = new Browser();

  async function gql<T>(browser: Browser, host: string, query: string, variables: Record<string, unknown> = {}) {
    const page = await browser.send('POST', world.url(host, '/graphql'), { json: { query, variables } });
    return JSON.parse(page.body) as Answer<T>;
  }

  async function ok<T>(browser: Browser, host: string, query: string, variables: Record<string, unknown> = {}) {
    const answer = await gql<T>(browser, host, query, variables);
    if (answer.errors?.length || !answer.data) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  }

  const submit = (browser: Browser, input: Record<string, unknown>) =>
    gql<{ submitDossier: Dossier }>(
      browser,
      ESCH,
      `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { ${DOSSIER_FIELDS} } }`,
      { input },
    );

  const read = (browser: Browser, host: string, id: string) =>
    gql<{ dossier: Dossier }>(browser, host, `query($id: ID!) { dossier(id: $id) { ${DOSSIER_FIELDS} } }`, { id });

  const request = (overrides: Record<string, unknown> = {}) => ({
    typeCode: 'interview',
    subject: 'Terrace on the public square',
    description: 'I would like to discuss a summer terrace for my café with the alderman.',
    preferredChannel: 'IN_PERSON',
    preferredDates: [],
    documents: [],
    ...overrides,
  });

  async function outbox(
    slug: string,
  ): Promise<{ template: string; to: { email: string; locale: string }; data: Record<string, unknown> }[]> {
    const rows = await admin.query(`SELECT payload FROM "t_${slug}".outbox ORDER BY id`);
    return rows.rows.map((r: { payload: never }) => r.payload);
  }

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange']);
    admin = new Client({ connectionString: world.api.db.adminUrl });
    await admin.connect();
    await world.logIn(citizen, ESCH, 'citizen.esch@demo.gemeng.lu');
    await world.logIn(agent, ESCH, 'agent.esch@demo.gemeng.lu');
    await world.logIn(escher, ESCH, 'admin.esch@demo.gemeng.lu');
    await world.logIn(stranger, ESCH, 'citizen.dudelange@demo.gemeng.lu');
    await world.logIn(dudelangeAdmin, DUDELANGE, 'admin.dudelange@demo.gemeng.lu');
    await ok(
      escher,
      ESCH,
      `mutation { inviteStaff(invitation: { email: "agent.dudelange@demo.gemeng.lu", role: agent, departments: ["technical"] }) { id } }`,
    );
    await world.logIn(technicalAgent, ESCH, 'agent.dudelange@demo.gemeng.lu');
  });

  afterAll(async () => {
    await admin?.end();
    await world?.stop();
  });

  it('offers the interview request among the services of the commune', async () => {
    const { dossierTypes } = await ok<{ dossierTypes: { code: string; department: { code: string } }[] }>(
      new Browser(),
      ESCH,
      '{ dossierTypes { code department { code } } }',
    );
    expect(dossierTypes).toContainEqual(
      expect.objectContaining({ code: 'interview', department: { code: 'population' } }),
    );
  });

  let dossier: Dossier;

  it('lets a citizen submit a request with a document, and gives a reference, a due date and e-mails', async () => {
    const pdf = pdfBytes('birth certificate');
    const uploaded = uploadedId(await upload(citizen, world.url(ESCH, '/documents'), 'acte de naissance.pdf', pdf));
    const answer = await submit(
      citizen,
      request({ preferredDates: ['2099-01-05', '2099-01-06'], documents: [{ id: uploaded }] }),
    );
    expect(answer.errors).toBeUndefined();
    dossier = answer.data!.submitDossier;
    expect(dossier.reference).toMatch(/^ESCH-\d{4}-\d{6}$/);
    expect(dossier.stage).toMatchObject({ code: 'received', final: false });
    expect(dossier.stages[0]).toMatchObject({ current: true, reached: true });
    expect(dossier.stages.at(-1)).toMatchObject({ final: true, reached: false });
    expect(dossier.department.code).toBe('population');
    expect(dossier.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(dossier.overdue).toBe(false);
    expect(dossier.documents).toEqual([
      expect.objectContaining({ fileName: 'acte de naissance.pdf', contentType: 'application/pdf' }),
    ]);
    expect(dossier.history.map((e) => e.kind)).toEqual(['SUBMITTED']);

    const mails = await outbox('esch');
    expect(mails).toContainEqual(
      expect.objectContaining({
        template: 'dossier-received',
        to: expect.objectContaining({ email: 'citizen.esch@demo.gemeng.lu' }),
        data: expect.objectContaining({ reference: dossier.reference, dueOn: dossier.dueOn }),
      }),
    );
    expect(mails).toContainEqual(
      expect.objectContaining({
        template: 'dossier-new',
        to: expect.objectContaining({ email: 'population@villeesch.lu' }),
      }),
    );

    const downloaded = await citizen.send('GET', world.url(ESCH, dossier.documents[0].downloadUrl));
    expect(downloaded.status).toBe(200);
    expect(downloaded.bytes.equals(pdf)).toBe(true);
  });

  it('numbers references without gaps, even when submissions race or fail', async () => {
    const before = Number(dossier.reference.slice(-6));
    const failed = await submit(citizen, request({ preferredChannel: 'PHONE' })); // no phone number: refused
    expect(failed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const racing = await Promise.all([1, 2, 3, 4].map((n) => submit(citizen, request({ subject: `Race ${n}` }))));
    const numbers = racing.map((r) => Number(r.data!.submitDossier.reference.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual([before + 1, before + 2, before + 3, before + 4]);
  });

  it('refuses bad requests whole, listing every problem, and stores nothing', async () => {
    const count = async () => Number((await admin.query('SELECT count(*) FROM t_esch.dossier')).rows[0].count);
    const before = await count();
    const answer = await submit(
      citizen,
      request({
        typeCode: 'no-such-service',
        preferredDates: ['2020-01-01'],
      }),
    );
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const second = await submit(citizen, request({ subject: '', preferredDates: ['2020-01-01', '2099-02-30'] }));
    expect(second.errors?.[0].extensions?.problems?.map((p) => p.path)).toEqual(
      expect.arrayContaining(['subject', 'preferredDates.0', 'preferredDates.1']),
    );
    expect(await count()).toBe(before);
  });

  it("lists the citizen's dossiers, newest first", async () => {
    const { myDossiers } = await ok<{ myDossiers: { reference: string }[] }>(
      citizen,
      ESCH,
      '{ myDossiers { reference } }',
    );
    expect(myDossiers.length).toBeGreaterThanOrEqual(5);
    expect(myDossiers.map((d) => d.reference)).toContain(dossier.reference);
    const { myDossiers: theirs } = await ok<{ myDossiers: unknown[] }>(stranger, ESCH, '{ myDossiers { reference } }');
    expect(theirs).toEqual([]);
    // The right of access covers dossiers too.
    const { myData } = await ok<{ myData: string }>(citizen, ESCH, '{ myData }');
    const exported = JSON.parse(myData) as { dossiers: { reference: string; documents: { fileName: string }[] }[] };
    expect(exported.dossiers.map((d) => d.reference)).toContain(dossier.reference);
    expect(exported.dossiers.find((d) => d.reference === dossier.reference)?.documents).toEqual([
      expect.objectContaining({ fileName: 'acte de naissance.pdf' }),
    ]);
  });

  it("gives the department's agents an inbox, overdue first, and lets one take a dossier on", async () => {
    await admin.query(`UPDATE t_esch.dossier SET due_on = '2020-01-02' WHERE subject = 'Race 3'`);
    const { dossierInbox } = await ok<{ dossierInbox: { reference: string; overdue: boolean; subject: string }[] }>(
      agent,
      ESCH,
      '{ dossierInbox { reference overdue subject } }',
    );
    expect(dossierInbox[0]).toMatchObject({ subject: 'Race 3', overdue: true });
    expect(dossierInbox.map((d) => d.reference)).toContain(dossier.reference);

    const { dossierInbox: technical } = await ok<{ dossierInbox: unknown[] }>(
      technicalAgent,
      ESCH,
      '{ dossierInbox { id } }',
    );
    expect(technical).toEqual([]);

    const { assignDossier } = await ok<{ assignDossier: Dossier }>(
      agent,
      ESCH,
      `mutation($id: ID!) { assignDossier(id: $id) { ${DOSSIER_FIELDS} } }`,
      { id: dossier.id },
    );
    expect(assignDossier.assignee?.name).toBeTruthy();
    const { dossierInbox: mine } = await ok<{ dossierInbox: { id: string }[] }>(
      agent,
      ESCH,
      '{ dossierInbox(filter: { assignedToMe: true }) { id } }',
    );
    expect(mine.map((d) => d.id)).toEqual([dossier.id]);
  });

  it('moves the dossier along its stages, with public and internal notes, and tells the citizen', async () => {
    const moved = await ok<{ moveDossier: Dossier }>(
      agent,
      ESCH,
      `mutation($id: ID!) { moveDossier(id: $id, stageCode: "in-review", note: "We are looking at your request.") { stage { code } } }`,
      { id: dossier.id },
    );
    expect(moved.moveDossier.stage.code).toBe('in-review');
    await ok(
      agent,
      ESCH,
      `mutation($id: ID!) { addDossierNote(id: $id, text: "Mayor's office to confirm the square's schedule", visibility: INTERNAL) { id } }`,
      { id: dossier.id },
    );
    await ok(
      agent,
      ESCH,
      `mutation($id: ID!) { addDossierNote(id: $id, text: "Please bring your lease.", visibility: PUBLIC) { id } }`,
      { id: dossier.id },
    );

    const seen = (await read(citizen, ESCH, dossier.id)).data!.dossier;
    expect(seen.stage.code).toBe('in-review');
    const texts = seen.history.map((e) => e.text);
    expect(texts).toContain('Please bring your lease.');
    expect(JSON.stringify(seen)).not.toContain("Mayor's office");
    expect(seen.history.every((e) => e.clientAddress === null && e.userAgent === null)).toBe(true);

    const staffView = (await read(agent, ESCH, dossier.id)).data!.dossier;
    expect(staffView.history.map((e) => e.text)).toContain("Mayor's office to confirm the square's schedule");
    // The audit trail: who, when, what, from where.
    const change = staffView.history.find((e) => e.kind === 'STAGE_CHANGED')!;
    expect(change).toMatchObject({ actorKind: 'staff', visibility: 'PUBLIC', toStage: expect.any(String) });
    expect(change.clientAddress).toMatch(/127\.0\.0\.1/);

    const mails = await outbox('esch');
    expect(mails).toContainEqual(
      expect.objectContaining({
        template: 'dossier-message',
        data: expect.objectContaining({ reason: 'note', message: 'Please bring your lease.' }),
      }),
    );
    expect(JSON.stringify(mails)).not.toContain("Mayor's office");
  });

  it('asks the citizen for documents, and the citizen answers with an upload', async () => {
    const asked = await ok<{ requestDossierDocuments: Dossier }>(
      agent,
      ESCH,
      `mutation($id: ID!) { requestDossierDocuments(id: $id, message: "A copy of your lease, please.") { awaitingDocuments } }`,
      { id: dossier.id },
    );
    expect(asked.requestDossierDocuments.awaitingDocuments).toBe(true);
    const lease = uploadedId(await upload(citizen, world.url(ESCH, '/documents'), 'lease.pdf', pdfBytes('lease')));
    const { replyToDossier } = await ok<{ replyToDossier: Dossier }>(
      citizen,
      ESCH,
      `mutation($id: ID!, $doc: ID!) { replyToDossier(id: $id, input: { message: "Here it is.", documents: [{ id: $doc }] }) { ${DOSSIER_FIELDS} } }`,
      { id: dossier.id, doc: lease },
    );
    expect(replyToDossier.awaitingDocuments).toBe(false);
    expect(replyToDossier.documents.map((d) => d.fileName)).toEqual(['acte de naissance.pdf', 'lease.pdf']);
    expect(replyToDossier.history.at(-1)).toMatchObject({
      kind: 'DOCUMENTS_ADDED',
      actorKind: 'citizen',
      documentNames: ['lease.pdf'],
    });

    // The agent downloads what the citizen sent.
    const got = await agent.send('GET', world.url(ESCH, replyToDossier.documents[1].downloadUrl));
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdfBytes('lease'))).toBe(true);
  });

  it('proposes an appointment and closes the dossier with a result', async () => {
    const startsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const proposed = await ok<{ proposeDossierAppointment: Dossier }>(
      agent,
      ESCH,
      `mutation($id: ID!, $at: DateTime!) { proposeDossierAppointment(id: $id, startsAt: $at, channel: VIDEO) { proposedAppointment { startsAt channel } } }`,
      { id: dossier.id, at: startsAt },
    );
    expect(proposed.proposeDossierAppointment.proposedAppointment).toEqual({ startsAt, channel: 'VIDEO' });

    const closeWithout = await gql(
      agent,
      ESCH,
      `mutation($id: ID!) { closeDossier(id: $id, result: ACCEPTED, message: "  ") { id } }`,
      { id: dossier.id },
    );
    expect(closeWithout.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const { closeDossier } = await ok<{ closeDossier: Dossier }>(
      agent,
      ESCH,
      `mutation($id: ID!) { closeDossier(id: $id, result: ACCEPTED, message: "Your terrace is approved for the summer.") { ${DOSSIER_FIELDS} } }`,
      { id: dossier.id },
    );
    expect(closeDossier).toMatchObject({
      result: 'ACCEPTED',
      resultMessage: 'Your terrace is approved for the summer.',
    });
    expect(closeDossier.stage.final).toBe(true);
    expect(closeDossier.stages.every((s) => s.reached)).toBe(true);

    const again = await gql(agent, ESCH, `mutation($id: ID!) { moveDossier(id: $id, stageCode: "in-review") { id } }`, {
      id: dossier.id,
    });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');

    const mails = await outbox('esch');
    expect(mails).toContainEqual(
      expect.objectContaining({
        template: 'dossier-message',
        data: expect.objectContaining({ reason: 'closed', result: 'accepted' }),
      }),
    );
    expect(mails).toContainEqual(
      expect.objectContaining({
        template: 'dossier-message',
        data: expect.objectContaining({ reason: 'appointment-proposed' }),
      }),
    );
  });

  it('forwards a dossier to another department, whose agents then have it', async () => {
    const { myDossiers } = await ok<{ myDossiers: { id: string; subject: string }[] }>(
      citizen,
      ESCH,
      '{ myDossiers { id subject } }',
    );
    const other = myDossiers.find((d) => d.subject === 'Race 1')!;
    await ok(
      agent,
      ESCH,
      `mutation($id: ID!) { forwardDossier(id: $id, departmentCode: "technical", note: "About the road works") { id } }`,
      { id: other.id },
    );
    const seen = (await read(citizen, ESCH, other.id)).data!.dossier;
    expect(seen.department.code).toBe('technical');
    expect(seen.history.at(-1)).toMatchObject({
      kind: 'FORWARDED',
      fromDepartment: expect.any(String),
      toDepartment: expect.any(String),
    });
    expect(JSON.stringify(seen)).not.toContain('About the road works');
    const { dossierInbox } = await ok<{ dossierInbox: { id: string }[] }>(
      technicalAgent,
      ESCH,
      '{ dossierInbox { id } }',
    );
    expect(dossierInbox.map((d) => d.id)).toEqual([other.id]);
    const lost = await read(agent, ESCH, other.id);
    expect(lost.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('serves the page that the e-mails link to, after a login when needed', async () => {
    const page = await citizen.send('GET', world.url(ESCH, `/dossiers/${dossier.id}`));
    expect(page.status).toBe(200);
    expect(page.body).toContain(dossier.reference);
    expect(page.body).toContain('Please bring your lease.');
    expect(page.body).not.toContain("Mayor's office");
    const staffPage = await agent.send('GET', world.url(ESCH, `/admin/dossiers/${dossier.id}`));
    expect(staffPage.body).toContain('Mayor&#39;s office');
    const anonymous = await new Browser().send('GET', world.url(ESCH, `/dossiers/${dossier.id}`));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent(`/dossiers/${dossier.id}`)}`);
    const someoneElse = await stranger.send('GET', world.url(ESCH, `/dossiers/${dossier.id}`));
    expect(someoneElse.status).toBe(404);
    expect(someoneElse.body).not.toContain(dossier.reference);
  });

  describe("from the attacker's side", () => {
    it('refuses another citizen the dossier, its documents and its changes', async () => {
      const answer = await read(stranger, ESCH, dossier.id);
      expect(answer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(answer.data).toBeNull();
      const reply = await gql(
        stranger,
        ESCH,
        `mutation($id: ID!) { replyToDossier(id: $id, input: { message: "hi" }) { id } }`,
        { id: dossier.id },
      );
      expect(reply.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const file = await stranger.send('GET', world.url(ESCH, dossier.documents[0].downloadUrl));
      expect(file.status).toBe(404);
    });

    it("refuses another commune's ids, hosts and cookies", async () => {
      const answer = await read(dudelangeAdmin, DUDELANGE, dossier.id);
      expect(answer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const file = await dudelangeAdmin.send('GET', world.url(DUDELANGE, dossier.documents[0].downloadUrl));
      expect(file.status).toBe(404);
      // Dudelange's session cookie replayed on Esch's host counts for nothing there.
      const replayed = new Browser();
      for (const [name, value] of dudelangeAdmin.cookies(`${DUDELANGE}:${world.apiPort}`)) {
        replayed.cookies(`${ESCH}:${world.apiPort}`).set(name, value);
      }
      const forged = await read(replayed, ESCH, dossier.id);
      expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it("keeps another commune's administrator out of the dossier: changes, inbox, pages", async () => {
      const before = (await read(citizen, ESCH, dossier.id)).data!.dossier;
      for (const mutation of [
        `mutation($id: ID!) { assignDossier(id: $id) { id } }`,
        `mutation($id: ID!) { closeDossier(id: $id, result: DECLINED, message: "not yours") { id } }`,
        `mutation($id: ID!) { addDossierNote(id: $id, text: "hello", visibility: PUBLIC) { id } }`,
      ]) {
        const answer = await gql(dudelangeAdmin, DUDELANGE, mutation, { id: dossier.id });
        expect(answer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      }
      const { dossierInbox } = await ok<{ dossierInbox: { id: string }[] }>(
        dudelangeAdmin,
        DUDELANGE,
        '{ dossierInbox(filter: { includeClosed: true }) { id } }',
      );
      expect(dossierInbox.map((d) => d.id)).not.toContain(dossier.id);
      for (const path of [`/dossiers/${dossier.id}`, `/admin/dossiers/${dossier.id}`]) {
        const page = await dudelangeAdmin.send('GET', world.url(DUDELANGE, path));
        expect(page.status).toBe(404);
        expect(page.body).not.toContain(dossier.reference);
      }
      const after = (await read(citizen, ESCH, dossier.id)).data!.dossier;
      expect(after.stage.code).toBe(before.stage.code);
      expect(after.history).toHaveLength(before.history.length);
    });

    it('refuses an agent of another department, and a citizen doing agent work', async () => {
      const { myDossiers } = await ok<{ myDossiers: { id: string; subject: string }[] }>(
        citizen,
        ESCH,
        '{ myDossiers { id subject } }',
      );
      const open = myDossiers.find((d) => d.subject === 'Race 2')!;
      const wrongDepartment = await gql(
        technicalAgent,
        ESCH,
        `mutation($id: ID!) { moveDossier(id: $id, stageCode: "in-review") { id } }`,
        { id: open.id },
      );
      expect(wrongDepartment.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const byCitizen = await gql(
        citizen,
        ESCH,
        `mutation($id: ID!) { closeDossier(id: $id, result: ACCEPTED, message: "self-approved") { id } }`,
        { id: open.id },
      );
      expect(byCitizen.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const unchanged = (await read(citizen, ESCH, open.id)).data!.dossier;
      expect(unchanged.stage.code).toBe('received');
    });

    it("refuses to attach another citizen's upload, and keeps it staged", async () => {
      const theirs = uploadedId(
        await upload(stranger, world.url(ESCH, '/documents'), 'mine.pdf', pdfBytes('stranger')),
      );
      const answer = await submit(citizen, request({ documents: [{ id: theirs }] }));
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const row = await admin.query('SELECT owner_id FROM t_esch.document WHERE id = $1', [theirs]);
      expect(row.rows[0].owner_id).toBeNull();
    });

    it('answers malformed ids as not found, not as errors', async () => {
      const answer = await read(citizen, ESCH, "1' OR '1'='1");
      expect(answer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
