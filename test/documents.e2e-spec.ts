import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { Client } from 'pg';
import { CommuneDirectory } from '@gemeng/communes';
import { InvalidInputError, RequestContext, type S3Settings } from '@gemeng/core';
import { freePort, TenantTransactions } from '@gemeng/database';
import { DocumentService, type DocumentEntity } from '@gemeng/documents';
import { demoSubject } from '../apps/id/src/demo-accounts';
import { Browser, type Page } from './support/browser';
import { LoginWorld } from './support/login-world';
import { multipart, pdfBytes, type Part } from './support/uploads';

const ESCH = 'esch.localhost';
const DUDELANGE = 'dudelange.localhost';
const CITIZEN = 'citizen.esch@demo.gemeng.lu';
/** Dudelange's demo citizen, who also logs in on Esch: there, another citizen of Esch. */
const NEIGHBOUR = 'citizen.dudelange@demo.gemeng.lu';
const AGENT = 'agent.esch@demo.gemeng.lu';
const MAX_UPLOAD_BYTES = 256 * 1024;

/** A 1x1 PNG of Esch's red. */
function pngBytes(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0xb5, 0x12, 0x1b]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A 1x1 grey baseline JPEG: one 8x8 block whose DC difference is 0 and whose AC coefficients end at
 * once, with Huffman tables of a single one-bit code each.
 */
function jpegBytes(): Buffer {
  const segment = (marker: number, data: number[]): Buffer => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(data.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), length, Buffer.from(data)]);
  };
  const oneCodeTable = (tableClass: number): number[] => [tableClass, 1, ...new Array<number>(15).fill(0), 0];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
    segment(0xc4, oneCodeTable(0x00)),
    segment(0xc4, oneCodeTable(0x10)),
    segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    Buffer.from([0x3f, 0xff, 0xd9]),
  ]);
}

/** A PDF's first bytes followed by filler, to reach a given size. */
function pdfOfSize(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n', 'latin1');
  return Buffer.concat([head, Buffer.alloc(bytes - head.length, 0x20)]);
}

interface UploadAnswer {
  id?: string;
  fileName?: string;
  contentType?: string;
  sizeBytes?: number;
  error?: { code: string; message: string };
}

function answer(page: Page): UploadAnswer {
  return JSON.parse(page.body) as UploadAnswer;
}

/** Every file under a directory, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Retries an assertion for a few seconds: the server cleans up after a client that left on its own time. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('Documents: uploads and authorised downloads', () => {
  let world: LoginWorld;
  let documentsDir: string;
  let admin: Client;
  const citizen = new Browser();
  const neighbour = new Browser();
  const agent = new Browser();
  const dudelanger = new Browser();

  const url = (host: string, path: string): string => world.url(host, path);

  function send(
    browser: Browser,
    host: string,
    parts: Part[],
    options: { chunked?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const { body, contentType } = multipart(parts);
    return browser.send('POST', url(host, '/documents'), {
      raw: options.chunked ? Readable.from([body.subarray(0, 1000), body.subarray(1000)]) : body,
      headers: { 'content-type': contentType, 'x-requested-with': 'XMLHttpRequest', ...options.headers },
    });
  }

  const upload = (browser: Browser, host: string, fileName: string, content: Buffer): Promise<Page> =>
    send(browser, host, [{ name: 'file', fileName, content }]);

  async function uploaded(browser: Browser, host: string, fileName: string, content: Buffer): Promise<string> {
    const page = await upload(browser, host, fileName, content);
    if (page.status !== 201) throw new Error(`The upload of ${fileName} answered ${page.status}: ${page.body}`);
    return answer(page).id as string;
  }

  async function rowCounts(): Promise<{ esch: number; dudelange: number }> {
    const result = await admin.query<{ esch: number; dudelange: number }>(
      'SELECT (SELECT count(*)::int FROM t_esch.document) AS esch, (SELECT count(*)::int FROM t_dudelange.document) AS dudelange',
    );
    return result.rows[0];
  }

  /** What is stored now: rows in both communes' `document` tables and files under the documents directory. */
  async function stored(): Promise<{ rows: { esch: number; dudelange: number }; files: string[] }> {
    return { rows: await rowCounts(), files: await filesUnder(documentsDir) };
  }

  async function documentRow(id: string): Promise<Record<string, unknown> | undefined> {
    const result = await admin.query('SELECT * FROM t_esch.document WHERE id = $1', [id]);
    return result.rows[0] as Record<string, unknown> | undefined;
  }

  function contextOf(email: string): RequestContext {
    const commune = world.api.app.get(CommuneDirectory).bySlug('esch');
    if (!commune) throw new Error('esch is not in the directory');
    return new RequestContext({ commune, user: { subject: demoSubject(email), email, name: email } });
  }

  beforeAll(async () => {
    documentsDir = await mkdtemp(join(tmpdir(), 'gemeng-documents-'));
    world = await LoginWorld.start(['esch', 'dudelange'], {
      documents: { maxUploadBytes: MAX_UPLOAD_BYTES, dir: documentsDir, s3: undefined },
    });
    admin = new Client({ connectionString: world.api.db.adminUrl });
    await admin.connect();
    await world.logIn(citizen, ESCH, CITIZEN);
    await world.logIn(citizen, DUDELANGE, CITIZEN);
    await world.logIn(neighbour, ESCH, NEIGHBOUR);
    await world.logIn(agent, ESCH, AGENT);
    await world.logIn(dudelanger, DUDELANGE, NEIGHBOUR);
  });
  afterAll(async () => {
    await admin?.end();
    await world?.stop();
    await rm(documentsDir, { recursive: true, force: true });
  });

  it('stores a PDF, a PNG and a JPEG, and gives each back byte for byte to its uploader', async () => {
    for (const [fileName, content, contentType] of [
      ['attestation.pdf', pdfBytes('Attestation de residence'), 'application/pdf'],
      ['photo.png', pngBytes(), 'image/png'],
      ['scan.jpeg', jpegBytes(), 'image/jpeg'],
    ] as const) {
      const before = await filesUnder(documentsDir);
      const page = await upload(citizen, ESCH, fileName, content);
      expect(page.status).toBe(201);
      const body = answer(page);
      expect(body).toEqual({ id: expect.any(String), fileName, contentType, sizeBytes: content.length });

      const download = await citizen.send('GET', url(ESCH, `/documents/${body.id}`));
      expect(download.status).toBe(200);
      expect(download.bytes.equals(content)).toBe(true);
      expect(download.headers).toMatchObject({
        'content-type': contentType,
        'content-length': String(content.length),
        'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${fileName}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });

      // One new file, in Esch's directory, under a random key that owes nothing to the uploader's name,
      // readable by the platform's user alone; its row is staged and records the content's digest.
      const added = (await filesUnder(documentsDir)).filter((f) => !before.includes(f));
      expect(added).toEqual([expect.stringMatching(/^esch\/[0-9a-f]{32}$/)]);
      expect((await stat(join(documentsDir, added[0]))).mode & 0o777).toBe(0o600);
      expect((await stat(join(documentsDir, 'esch'))).mode & 0o777).toBe(0o700);
      expect(await documentRow(body.id as string)).toMatchObject({
        file_name: fileName,
        content_type: contentType,
        owner_kind: null,
        owner_id: null,
        storage_key: added[0].slice('esch/'.length),
        sha256: createHash('sha256').update(content).digest('hex'),
      });
    }
  });

  it("keeps the uploader's own file name for display and for the download's name", async () => {
    const fileName = 'Ëmzuch Bestätegung (Kopie).pdf';
    const page = await upload(citizen, ESCH, fileName, pdfBytes('Emzuch'));
    expect(page.status).toBe(201);
    expect(answer(page).fileName).toBe(fileName);
    const download = await citizen.send('GET', url(ESCH, `/documents/${answer(page).id}`));
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="_mzuch Best_tegung (Kopie).pdf"; filename*=UTF-8''%C3%8Bmzuch%20Best%C3%A4tegung%20%28Kopie%29.pdf`,
    );
  });

  it('answers 404 alike to another citizen, to staff, to another commune, and for ids that do not exist', async () => {
    const id = await uploaded(citizen, ESCH, 'private.pdf', pdfBytes('Private'));
    const nowhere = await citizen.send('GET', url(ESCH, `/documents/${randomUUID()}`));
    expect(nowhere.status).toBe(404);
    expect(JSON.parse(nowhere.body)).toEqual({ error: { code: 'NOT_FOUND', message: 'No such document' } });
    for (const [browser, host] of [
      [neighbour, ESCH],
      [agent, ESCH],
      // The same id on Dudelange's host: for a citizen of Dudelange, and for the uploader's own profile there.
      [dudelanger, DUDELANGE],
      [citizen, DUDELANGE],
    ] as const) {
      const page = await browser.send('GET', url(host, `/documents/${id}`));
      expect(page.status).toBe(404);
      expect(page.body).toBe(nowhere.body);
      expect(page.bytes.includes(Buffer.from('%PDF'))).toBe(false);
    }
    for (const path of [
      '/documents/not-a-uuid',
      '/documents/..%2F..%2Fetc%2Fpasswd',
      `/documents/${id.toUpperCase()}x`,
    ]) {
      const page = await citizen.send('GET', url(ESCH, path));
      expect(page.status).toBe(404);
    }
  });

  it('answers 404 on Esch for a document of Dudelange, and attaches none of it there', async () => {
    const theirs = await uploaded(dudelanger, DUDELANGE, 'dudelange.pdf', pdfBytes('Dudelange'));
    expect((await dudelanger.send('GET', url(DUDELANGE, `/documents/${theirs}`))).status).toBe(200);
    expect((await neighbour.send('GET', url(ESCH, `/documents/${theirs}`))).status).toBe(404);
    expect((await citizen.send('GET', url(ESCH, `/documents/${theirs}`))).status).toBe(404);
  });

  it('refuses callers without a session on this commune (401), an Esch cookie replayed on Dudelange included', async () => {
    const id = await uploaded(citizen, ESCH, 'mine.pdf', pdfBytes('Mine'));
    const before = await stored();
    const anonymous = new Browser();
    const refused = await upload(anonymous, ESCH, 'anonymous.pdf', pdfBytes('Anonymous'));
    expect(refused.status).toBe(401);
    expect(answer(refused).error?.code).toBe('UNAUTHENTICATED');
    expect((await anonymous.send('GET', url(ESCH, `/documents/${id}`))).status).toBe(401);

    const thief = new Browser();
    for (const [name, value] of citizen.cookies(`${ESCH}:${world.apiPort}`)) {
      thief.cookies(`${DUDELANGE}:${world.apiPort}`).set(name, value);
    }
    expect((await upload(thief, DUDELANGE, 'stolen.pdf', pdfBytes('Stolen'))).status).toBe(401);
    expect((await thief.send('GET', url(DUDELANGE, `/documents/${id}`))).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it('refuses an upload without the header that a cross-site form cannot send (403)', async () => {
    const before = await stored();
    const { body, contentType } = multipart([{ name: 'file', fileName: 'forged.pdf', content: pdfBytes('Forged') }]);
    const page = await citizen.send('POST', url(ESCH, '/documents'), {
      raw: body,
      headers: { 'content-type': contentType },
    });
    expect(page.status).toBe(403);
    expect(answer(page).error?.code).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });

  it('refuses path-traversal and other hand-made file names (400), and stores nothing', async () => {
    const before = await stored();
    for (const [fileName, message] of [
      ['../../etc/passwd.pdf', 'file.name: must be a bare file name, without a path (no / or \\)'],
      ['..\\..\\x.pdf', 'file.name: must be a bare file name, without a path (no / or \\)'],
      ['..', 'file.name: must not contain ".."'],
      ['invoice\u202Efdp.exe', 'file.name: must not contain control characters'],
      [`${'a'.repeat(201)}.pdf`, 'file.name: must be at most 200 characters'],
      ['   ', 'file.name: must not be empty'],
    ]) {
      const page = await upload(citizen, ESCH, fileName, pdfBytes('Traversal'));
      expect(page.status).toBe(400);
      expect(answer(page).error).toEqual({
        code: 'BAD_USER_INPUT',
        message: `The file cannot be accepted: ${message}`,
      });
    }
    // What a browser sends for a file input left empty.
    const nothingChosen = await upload(citizen, ESCH, '', Buffer.alloc(0));
    expect(answer(nothingChosen).error).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'The upload cannot be accepted: file: is missing: choose a file to upload',
    });
    expect(await stored()).toEqual(before);
    expect(await filesUnder(join(documentsDir, '..'))).not.toContain('etc/passwd.pdf');
  });

  it('refuses an executable called report.pdf, and every type but PDF, JPEG and PNG (400), storing nothing', async () => {
    const before = await stored();
    for (const content of [
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), randomBytes(2000)]),
      Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0x00, 0x03, 0x00]), randomBytes(2000)]),
      Buffer.from('<!doctype html><script>fetch("/graphql")</script>'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(100)]),
    ]) {
      const page = await upload(citizen, ESCH, 'report.pdf', content);
      expect(page.status).toBe(400);
      expect(answer(page).error).toEqual({
        code: 'BAD_USER_INPUT',
        message:
          'The file cannot be accepted: file: is not a PDF, JPEG or PNG file (its content was checked, not its name)',
      });
    }
    const empty = await upload(citizen, ESCH, 'empty.pdf', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(answer(empty).error?.message).toBe('The file cannot be accepted: file: is empty');
    expect(await stored()).toEqual(before);
  });

  it('refuses a file over MAX_UPLOAD_BYTES with 413, whether its length is announced or not, storing nothing', async () => {
    const before = await stored();
    const announced = await upload(citizen, ESCH, 'big.pdf', pdfOfSize(MAX_UPLOAD_BYTES * 2));
    expect(announced.status).toBe(413);
    expect(answer(announced).error).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The file cannot be accepted: file: is larger than 256 KiB',
    });
    // Chunked, the limit can only be found while streaming: what was written so far is deleted again.
    const streamed = await send(
      citizen,
      ESCH,
      [{ name: 'file', fileName: 'big.pdf', content: pdfOfSize(MAX_UPLOAD_BYTES + 1) }],
      {
        chunked: true,
      },
    );
    expect(streamed.status).toBe(413);
    expect(answer(streamed).error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored()).toEqual(before);

    const largest = await send(
      citizen,
      ESCH,
      [{ name: 'file', fileName: 'largest.pdf', content: pdfOfSize(MAX_UPLOAD_BYTES) }],
      {
        chunked: true,
      },
    );
    expect(largest.status).toBe(201);
    expect(answer(largest).sizeBytes).toBe(MAX_UPLOAD_BYTES);
  });

  it('deletes what was written of an upload whose client went away, and records nothing', async () => {
    const before = await stored();
    const { body, contentType } = multipart([
      { name: 'file', fileName: 'interrupted.pdf', content: pdfOfSize(200 * 1024) },
    ]);
    const cookie = [...citizen.cookies(`${ESCH}:${world.apiPort}`)].map(([k, v]) => `${k}=${v}`).join('; ');
    const request = httpRequest({
      host: '127.0.0.1',
      port: world.apiPort,
      method: 'POST',
      path: '/documents',
      headers: { host: `${ESCH}:${world.apiPort}`, cookie, 'content-type': contentType, 'x-requested-with': 'fetch' },
    });
    request.on('error', () => undefined);
    request.write(body.subarray(0, 100 * 1024));
    await eventually(async () =>
      expect((await filesUnder(documentsDir)).some((f) => f.endsWith('.partial'))).toBe(true),
    );
    request.destroy();
    await eventually(async () => expect(await stored()).toEqual(before));
  });

  it('answers 500, and no bytes, for a document whose stored content is gone', async () => {
    const id = await uploaded(citizen, ESCH, 'lost.pdf', pdfBytes('Lost'));
    await rm(join(documentsDir, 'esch', (await documentRow(id))?.storage_key as string));
    const page = await citizen.send('GET', url(ESCH, `/documents/${id}`));
    expect(page.status).toBe(500);
    expect(JSON.parse(page.body)).toEqual({
      error: { code: 'INTERNAL_SERVER_ERROR', message: 'The document could not be handled' },
    });
  });

  it('refuses a form that is not one file in a part named "file" (400), storing nothing', async () => {
    const before = await stored();
    const pdf = pdfBytes('Form');
    const cases: [Part[], string][] = [
      [[], 'file: is missing: send it in a part named "file"'],
      [[{ name: 'note', content: Buffer.from('hello') }], 'file: send the file alone, in a part named "file"'],
      [[{ name: 'document', fileName: 'a.pdf', content: pdf }], 'file: send the file in a part named "file"'],
      [
        [
          { name: 'file', fileName: 'a.pdf', content: pdf },
          { name: 'file', fileName: 'b.pdf', content: pdf },
        ],
        'file: send one file at a time',
      ],
      [
        [
          { name: 'file', fileName: 'a.pdf', content: pdf },
          { name: 'label', content: Buffer.from('passport') },
        ],
        'file: send the file alone, in a part named "file"',
      ],
    ];
    for (const [parts, message] of cases) {
      const page = await send(citizen, ESCH, parts);
      expect(page.status).toBe(400);
      expect(answer(page).error).toEqual({
        code: 'BAD_USER_INPUT',
        message: `The upload cannot be accepted: ${message}`,
      });
    }
    const json = await citizen.send('POST', url(ESCH, '/documents'), {
      json: { file: pdf.toString('base64') },
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(json.status).toBe(400);
    const truncated = multipart([{ name: 'file', fileName: 'cut.pdf', content: pdf }]);
    const cut = await citizen.send('POST', url(ESCH, '/documents'), {
      raw: truncated.body.subarray(0, truncated.body.length - 40),
      headers: { 'content-type': truncated.contentType, 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(cut.status).toBe(400);
    expect(answer(cut).error?.message).toBe(
      'The upload cannot be accepted: file: the form data is incomplete or malformed',
    );
    expect(await stored()).toEqual(before);
  });

  describe('attached to an owner', () => {
    const FOLDER = randomUUID();
    let documents: DocumentService;
    let transactions: TenantTransactions;

    beforeAll(() => {
      documents = world.api.app.get(DocumentService);
      transactions = world.api.app.get(TenantTransactions);
      // An owner kind of this suite's own: the folder's documents are for the citizen and the agent.
      documents.registerOwner('test-folder', async (ctx, ownerId) => {
        return ownerId === FOLDER && [CITIZEN, AGENT].includes(ctx.user?.email ?? '');
      });
    });

    const folder = { kind: 'test-folder', id: FOLDER };
    const attach = (
      email: string,
      items: { id: string; label?: string }[],
      owner = folder,
    ): Promise<DocumentEntity[]> =>
      transactions.run(contextOf(email), () => documents.attach(contextOf(email), items, owner));

    it("attaches only the caller's own staged uploads, and refuses any other id with one message", async () => {
      const mine = await uploaded(citizen, ESCH, 'mine.pdf', pdfBytes('Mine'));
      const theirs = await uploaded(neighbour, ESCH, 'theirs.pdf', pdfBytes('Theirs'));
      const dudelanges = await uploaded(dudelanger, DUDELANGE, 'elsewhere.pdf', pdfBytes('Elsewhere'));
      const unknown = randomUUID();
      const error = await attach(CITIZEN, [
        { id: mine },
        { id: theirs },
        { id: dudelanges },
        { id: unknown },
        { id: 'not-an-id' },
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).problems).toEqual([
        { path: 'documents.1.id', message: `${theirs} is not one of your uploaded documents` },
        { path: 'documents.2.id', message: `${dudelanges} is not one of your uploaded documents` },
        { path: 'documents.3.id', message: `${unknown} is not one of your uploaded documents` },
        { path: 'documents.4.id', message: 'not-an-id is not one of your uploaded documents' },
      ]);
      // Refused whole: the caller's own document is still staged, the other one untouched.
      expect(await documentRow(mine)).toMatchObject({ owner_kind: null, owner_id: null, attached_at: null });
      expect(await documentRow(theirs)).toMatchObject({ owner_kind: null, owner_id: null, attached_at: null });

      const duplicate = await attach(CITIZEN, [{ id: mine }, { id: mine }]).catch((e: unknown) => e);
      expect((duplicate as InvalidInputError).problems).toEqual([
        { path: 'documents.1.id', message: `${mine} is listed twice` },
      ]);
      await expect(attach(CITIZEN, [{ id: mine }], { kind: 'nobody-registered-this', id: FOLDER })).rejects.toThrow(
        'No document owner kind "nobody-registered-this" is registered',
      );
    });

    it("attaches in the owner's transaction, once, and then lets the owner's policy decide who sees it", async () => {
      const first = await uploaded(citizen, ESCH, 'first.pdf', pdfBytes('First'));
      const second = await uploaded(citizen, ESCH, 'second.png', pngBytes());

      // The owner's change fails after attaching: nothing of the attachment remains.
      const ctx = contextOf(CITIZEN);
      await expect(
        transactions.run(ctx, async () => {
          await documents.attach(ctx, [{ id: first }], folder);
          throw new Error('the owner could not be saved');
        }),
      ).rejects.toThrow('the owner could not be saved');
      expect(await documentRow(first)).toMatchObject({ owner_kind: null, owner_id: null });

      const attached = await attach(CITIZEN, [{ id: second, label: 'photo' }, { id: first }]);
      expect(attached.map((d) => [d.id, d.ownerKind, d.ownerId, d.label])).toEqual([
        [second, 'test-folder', FOLDER, 'photo'],
        [first, 'test-folder', FOLDER, null],
      ]);
      expect((await documents.listFor(ctx, folder)).map((d) => d.id).sort()).toEqual([first, second].sort());
      const again = await attach(CITIZEN, [{ id: first }], { kind: 'test-folder', id: randomUUID() }).catch(
        (e: unknown) => e,
      );
      expect((again as InvalidInputError).problems).toEqual([
        { path: 'documents.0.id', message: `${first} is not one of your uploaded documents` },
      ]);

      // The policy now decides: the citizen and the agent see it; the neighbour and Dudelange do not.
      const byCitizen = await citizen.send('GET', url(ESCH, `/documents/${second}`));
      expect(byCitizen.status).toBe(200);
      expect(byCitizen.bytes.equals(pngBytes())).toBe(true);
      expect((await agent.send('GET', url(ESCH, `/documents/${second}`))).status).toBe(200);
      expect((await neighbour.send('GET', url(ESCH, `/documents/${second}`))).status).toBe(404);
      expect((await dudelanger.send('GET', url(DUDELANGE, `/documents/${second}`))).status).toBe(404);
    });

    it('lets only one of two changes attaching the same upload at once succeed', async () => {
      const id = await uploaded(citizen, ESCH, 'contested.pdf', pdfBytes('Contested'));
      const owners = [randomUUID(), randomUUID()];
      const outcomes = await Promise.allSettled(
        owners.map((owner) => attach(CITIZEN, [{ id }], { kind: 'test-folder', id: owner })),
      );
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const winner = owners[outcomes.findIndex((o) => o.status === 'fulfilled')];
      expect(await documentRow(id)).toMatchObject({ owner_id: winner });
    });

    it('deletes staged uploads older than 24 hours, rows and bytes, and keeps the rest', async () => {
      const abandoned = await uploaded(citizen, ESCH, 'abandoned.pdf', pdfBytes('Abandoned'));
      const recent = await uploaded(citizen, ESCH, 'recent.pdf', pdfBytes('Recent'));
      const kept = await uploaded(citizen, ESCH, 'kept.pdf', pdfBytes('Kept'));
      await attach(CITIZEN, [{ id: kept }]);
      await admin.query(`UPDATE t_esch.document SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [
        [abandoned, kept],
      ]);
      const abandonedFile = `esch/${(await documentRow(abandoned))?.storage_key as string}`;
      expect(await filesUnder(documentsDir)).toContain(abandonedFile);

      const commune = world.api.app.get(CommuneDirectory).bySlug('esch');
      expect(await documents.purgeStaged(RequestContext.forCommune(commune!))).toBe(1);
      expect(await documentRow(abandoned)).toBeUndefined();
      expect(await filesUnder(documentsDir)).not.toContain(abandonedFile);
      expect((await citizen.send('GET', url(ESCH, `/documents/${abandoned}`))).status).toBe(404);
      expect((await citizen.send('GET', url(ESCH, `/documents/${recent}`))).status).toBe(200);
      expect((await citizen.send('GET', url(ESCH, `/documents/${kept}`))).status).toBe(200);
    });
  });

  it("lists the person's uploads in their data export, and no one else's", async () => {
    const id = await uploaded(citizen, ESCH, 'exported.pdf', pdfBytes('Exported'));
    const theirs = await uploaded(neighbour, ESCH, 'not-mine.pdf', pdfBytes('Not mine'));
    const result = await world.graphql<{ myData: string }>(citizen, ESCH, '{ myData }');
    const exported = JSON.parse(result.data?.myData ?? '{}') as { documents?: { id: string; downloadUrl: string }[] };
    expect(exported.documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id, fileName: 'exported.pdf', downloadUrl: `/documents/${id}` }),
      ]),
    );
    expect(exported.documents?.map((d) => d.id)).not.toContain(theirs);
  });
});

describe('Documents on S3-compatible storage', () => {
  const BUCKET = 'gemeng-documents';
  const LIMIT = 6 * 1024 * 1024;
  let server: S3rver;
  let directory: string;
  let world: LoginWorld;
  let s3: S3Client;
  const citizen = new Browser();

  async function objectKeys(): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((o) => o.Key as string).sort();
  }

  function upload(fileName: string, content: Buffer, chunked = false): Promise<Page> {
    const { body, contentType } = multipart([{ name: 'file', fileName, content }]);
    return citizen.send('POST', world.url(ESCH, '/documents'), {
      raw: chunked ? Readable.from([body]) : body,
      headers: { 'content-type': contentType, 'x-requested-with': 'XMLHttpRequest' },
    });
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gemeng-s3-'));
    server = new S3rver({ address: '127.0.0.1', port: await freePort(), silent: true, directory });
    const { port } = await server.run();
    const settings: S3Settings = {
      bucket: BUCKET,
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
    };
    s3 = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: true,
      credentials: settings.credentials,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    world = await LoginWorld.start(['esch'], {
      documents: { maxUploadBytes: LIMIT, dir: join(directory, 'unused'), s3: settings },
    });
    await world.logIn(citizen, ESCH, CITIZEN);
  });
  afterAll(async () => {
    await world?.stop();
    s3?.destroy();
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("stores uploads as objects under the commune's prefix and streams them back", async () => {
    for (const content of [pdfBytes('On S3'), pdfOfSize(5 * 1024 * 1024 + 12_345)]) {
      const before = await objectKeys();
      const page = await upload('on-s3.pdf', content, true);
      expect(page.status).toBe(201);
      const added = (await objectKeys()).filter((k) => !before.includes(k));
      expect(added).toEqual([expect.stringMatching(/^esch\/[0-9a-f]{32}$/)]);
      const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: added[0] }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(content)).toBe(true);
      const download = await citizen.send(
        'GET',
        world.url(ESCH, `/documents/${(JSON.parse(page.body) as { id: string }).id}`),
      );
      expect(download.status).toBe(200);
      expect(download.bytes.equals(content)).toBe(true);
    }
    expect(await filesUnder(join(directory, 'unused'))).toEqual([]);
  });

  it('leaves no object behind for a refused or oversized upload', async () => {
    const before = await objectKeys();
    const executable = await upload('report.pdf', Buffer.concat([Buffer.from('MZ'), randomBytes(4000)]));
    expect(executable.status).toBe(400);
    // Over the limit and past S3's first part: the multipart upload begun is aborted.
    const oversized = await upload('big.pdf', pdfOfSize(LIMIT + 1), true);
    expect(oversized.status).toBe(413);
    expect(await objectKeys()).toEqual(before);
  });
});
