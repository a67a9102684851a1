import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { Client } from 'pg';
import { CommuneDirectory, CommuneRegistry } from '@gemeng/communes';
import { loadConfig, RequestContext, type GemengConfig, type Locale } from '@gemeng/core';
import { OutboxService, type EmailNotification } from '@gemeng/notifications';
import { closeWorker, createWorker } from '../apps/worker/src/bootstrap';
import { NOTIFICATIONS_QUEUE } from '../apps/worker/src/notifications/notification-queue';
import { QueueRegistry } from '../apps/worker/src/queue';
import { runCli } from './support/cli';
import { RedisServer } from './support/redis-server';
import { SmtpSink } from './support/smtp-sink';
import { startTestApi, type TestApi } from './support/test-api';
import { QUICK_WORKER_ENV, WorkerProcess } from './support/worker-process';

// The in-process worker runs on the backend of the run (Redis with REDIS_URL, else PostgreSQL); the
// suites with a worker process run on both backends in every run, with a Redis of their own.
const backend = process.env.REDIS_URL ? 'Redis' : 'PostgreSQL';
const ESCH_RED = '#b5121b';
const DUDELANGE_BLUE = '#00529b';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

function received(email: string, locale: Locale, data: Record<string, unknown> = {}): EmailNotification {
  return {
    template: 'dossier-received',
    to: { email, name: 'Marie Muller', locale },
    data: {
      reference: 'ESCH-2026-00042',
      subject: 'Mariage civil',
      typeName: 'Entretien',
      departmentName: 'Bureau de la population',
      dueOn: '2026-12-03',
      path: '/dossiers/4f1c2a',
      ...data,
    },
  };
}

describe('Notifications', () => {
  let api: TestApi;
  let sink: SmtpSink;
  let admin: Client;

  beforeAll(async () => {
    [api, sink] = await Promise.all([startTestApi({ communes: ['esch', 'dudelange'] }), SmtpSink.start()]);
    admin = new Client({ connectionString: api.db.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await sink?.close();
    await api?.close();
  });

  /** Writes e-mails to a commune's outbox the way every context does: OutboxService in its transaction. */
  async function enqueue(slug: string, ...emails: EmailNotification[]): Promise<void> {
    const commune = api.app.get(CommuneDirectory).bySlug(slug)!;
    await api.app.get(OutboxService).enqueue(RequestContext.forCommune(commune), ...emails);
  }

  async function outboxId(slug: string, email: string): Promise<string> {
    const { rows } = await admin.query<{ id: string }>(
      `SELECT id FROM "t_${slug}".outbox WHERE payload->'to'->>'email' = $1`,
      [email],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  }

  /** One at a time: the admin client runs one query at once. */
  async function outboxIds(slug: string, emails: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const email of emails) ids.push(await outboxId(slug, email));
    return ids;
  }

  async function delivered(slug: string, ids: string[]): Promise<boolean> {
    for (const id of ids) if ((await delivery(slug, id))?.status !== 'sent') return false;
    return true;
  }

  async function delivery(slug: string, id: string) {
    const { rows } = await admin.query<{
      status: string;
      attempts: number;
      message_id: string | null;
      last_error: string | null;
    }>(`SELECT status, attempts, message_id, last_error FROM "t_${slug}".notification_delivery WHERE outbox_id = $1`, [
      id,
    ]);
    return rows[0];
  }

  function workerConfig(mail: Partial<GemengConfig['mail']> = {}): GemengConfig {
    const base = loadConfig({});
    return {
      ...base,
      redisUrl: process.env.REDIS_URL,
      poolSize: 5,
      mail: { ...base.mail, smtpUrl: sink.url, ...mail },
      notifications: { sweepSeconds: 1, attempts: 3, backoffMs: 200, concurrency: 2 },
      queue: { prefix: undefined, lockMs: 2000, stalledIntervalMs: 1000 },
    };
  }

  describe(`with the worker in this process, on ${backend}`, () => {
    let worker: INestApplicationContext;

    beforeAll(async () => {
      worker = await createWorker({ config: workerConfig(), databaseUrl: api.db.url, logger: false });
    });
    afterAll(async () => {
      if (worker) await closeWorker(worker);
    });

    it("a real SMTP server receives the right message, in the citizen's language, with the commune's name and colours", async () => {
      const expected = [
        { locale: 'lb', subject: 'Mir hunn Är Ufro ESCH-2026-00042 kritt', name: 'Esch-Uelzecht', hello: 'Moien' },
        {
          locale: 'fr',
          subject: 'Nous avons bien reçu votre demande ESCH-2026-00042',
          name: 'Esch-sur-Alzette',
          hello: 'Bonjour',
        },
        {
          locale: 'de',
          subject: 'Ihre Anfrage ESCH-2026-00042 ist bei uns eingegangen',
          name: 'Esch an der Alzette',
          hello: 'Guten Tag',
        },
        {
          locale: 'en',
          subject: 'We have received your request ESCH-2026-00042',
          name: 'Esch-sur-Alzette',
          hello: 'Dear',
        },
      ] as const;
      await enqueue('esch', ...expected.map((e) => received(`t1-${e.locale}@example.lu`, e.locale)));
      await enqueue('esch', {
        template: 'dossier-new',
        to: { email: 't1-population@example.lu', locale: 'fr' },
        data: {
          reference: 'ESCH-2026-00042',
          subject: 'Mariage civil',
          typeName: 'Entretien',
          citizenName: 'Marie Muller',
          preferredChannel: 'video',
          dueOn: '2026-12-03',
          path: '/admin/dossiers/4f1c2a',
        },
      });
      const recipients = [...expected.map((e) => `t1-${e.locale}@example.lu`), 't1-population@example.lu'];
      await until(async () => delivered('esch', await outboxIds('esch', recipients)), 'five e-mails');

      for (const e of expected) {
        const address = `t1-${e.locale}@example.lu`;
        const [mail, ...more] = sink.to(address);
        expect(more).toHaveLength(0);
        expect(mail.to).toBe(address);
        expect(mail.subject).toBe(e.subject);
        expect(mail.fromName).toBe(e.name);
        expect(mail.from).toBe('no-reply@localhost');
        expect(mail.html).toContain(`>${e.name}</td>`);
        expect(mail.html).toContain(`background-color:${ESCH_RED};color:#ffffff`);
        expect(mail.html).toContain('href="http://esch.localhost:3000/dossiers/4f1c2a"');
        expect(mail.text).toContain(`${e.hello} Marie Muller,`);
        expect(mail.text).toContain('http://esch.localhost:3000/dossiers/4f1c2a');
        expect(mail.text).toContain('2754 2533');
        expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
        const id = await outboxId('esch', address);
        expect(mail.messageId).toBe(`<outbox-${id}.esch@localhost>`);
        expect(await delivery('esch', id)).toEqual({
          status: 'sent',
          attempts: 1,
          message_id: mail.messageId,
          last_error: null,
        });
      }
      const [department] = sink.to('t1-population@example.lu');
      expect(department.subject).toBe('Nouvelle demande ESCH-2026-00042 : Mariage civil');
      expect(department.text).toContain('Contact souhaité : par vidéoconférence');
      expect(department.text).toContain('http://esch.localhost:3000/admin/dossiers/4f1c2a');

      // Sweeps go on every second; none of them sends anything twice.
      await sleep(2500);
      for (const r of recipients) expect(sink.to(r)).toHaveLength(1);
    });

    it('a job that keeps failing ends as failed with its error, shown by the command line, and can be sent again', async () => {
      sink.rejectRecipient('t4-nobody@example.lu');
      sink.deferRecipient('t4-busy@example.lu', Infinity);
      sink.deferRecipient('t4-flaky@example.lu', 2);
      const addresses = ['t4-nobody', 't4-busy', 't4-flaky', 't4-ok'].map((a) => `${a}@example.lu`);
      await enqueue('esch', ...addresses.map((a) => received(a, 'en')));
      const [nobody, busy, flaky, ok] = await outboxIds('esch', addresses);
      await until(async () => {
        for (const id of [nobody, busy, flaky, ok]) if (!(await delivery('esch', id))) return false;
        return true;
      }, 'a delivery record for each');

      // A 5xx is permanent: failed at once. A 4xx is retried with backoff, and fails after the last attempt.
      expect(await delivery('esch', nobody)).toMatchObject({ status: 'failed', attempts: 1, message_id: null });
      expect((await delivery('esch', nobody)).last_error).toContain('550');
      expect(await delivery('esch', busy)).toMatchObject({ status: 'failed', attempts: 3 });
      expect((await delivery('esch', busy)).last_error).toContain('451');
      expect(await delivery('esch', flaky)).toMatchObject({ status: 'sent', attempts: 3 });
      expect(await delivery('esch', ok)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(sink.to('t4-flaky@example.lu')).toHaveLength(1);
      expect(sink.to('t4-ok@example.lu')).toHaveLength(1);
      expect(sink.to('t4-nobody@example.lu')).toHaveLength(0);
      const job = await worker.get(QueueRegistry).queue(NOTIFICATIONS_QUEUE).getJob(`outbox.esch.${busy}.1`);
      expect(await job?.getState()).toBe('failed');
      expect(job?.attemptsMade).toBe(3);

      const status = await runCli(['notifications', 'status', '--commune', 'esch'], api.db.url);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^COMMUNE\s+PENDING\s+QUEUED\s+SENT\s+FAILED\s+OLDEST UNSENT$/m);
      expect(status.stdout).toMatch(/^esch\s+0\s+0\s+\d+\s+2\s+-$/m);
      expect(status.stdout).toContain(`esch #${nobody} dossier-received to t4-nobody@example.lu, 1 attempt(s)`);
      expect(status.stdout).toContain(`esch #${busy} dossier-received to t4-busy@example.lu, 3 attempt(s)`);
      expect(status.stdout).toContain('5.1.1 Mailbox unavailable');
      const json = await runCli(['notifications', 'status', '--json'], api.db.url);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as { commune: string; failed: number; failures: { outboxId: string }[] }[];
      expect(report.find((r) => r.commune === 'esch')).toMatchObject({
        failed: 2,
        failures: [{ outboxId: nobody }, { outboxId: busy }],
      });
      expect(report.find((r) => r.commune === 'dudelange')).toMatchObject({ failed: 0, failures: [] });

      // Another commune cannot retry Esch's notification, nor can a sent one be sent again.
      const foreign = await runCli(['notifications', 'retry', '--commune', 'dudelange', nobody], api.db.url);
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toContain(`dudelange #${nobody}: not a failed notification`);
      const sent = await runCli(['notifications', 'retry', '--commune', 'esch', ok], api.db.url);
      expect(sent.code).toBe(1);
      expect(sent.stderr).toContain(`esch #${ok}: not a failed notification`);
      const usage = await runCli(['notifications', 'retry', nobody], api.db.url);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('notifications retry needs --commune <slug>');

      sink.acceptRecipient('t4-nobody@example.lu');
      const retry = await runCli(['notifications', 'retry', '--commune', 'esch', nobody], api.db.url);
      expect(retry.stderr).toBe('');
      expect(retry.code).toBe(0);
      expect(retry.stdout).toContain(`esch: 1 notification(s) queued again: #${nobody}`);
      await until(() => delivered('esch', [nobody]), 'the retried e-mail');
      expect(await delivery('esch', nobody)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(await delivery('esch', busy)).toMatchObject({ status: 'failed' });
      await sleep(1500);
      for (const a of ['t4-nobody', 't4-flaky', 't4-ok']) expect(sink.to(`${a}@example.lu`)).toHaveLength(1);
      expect(sink.to('t4-busy@example.lu')).toHaveLength(0);
    });

    it("never uses one commune's data for another's, even for outbox rows with the same id", async () => {
      const { rows } = await admin.query<{ n: string }>(
        `SELECT greatest((SELECT coalesce(max(id), 0) FROM t_esch.outbox), (SELECT coalesce(max(id), 0) FROM t_dudelange.outbox)) + 100 AS n`,
      );
      const last = Number(rows[0].n);
      for (const schema of ['t_esch', 't_dudelange']) {
        await admin.query(`SELECT setval(pg_get_serial_sequence('${schema}.outbox', 'id'), $1)`, [last]);
      }
      await Promise.all([
        enqueue('esch', received('t5-esch@example.lu', 'fr', { reference: 'ESCH-2026-00500' })),
        enqueue('dudelange', received('t5-dudelange@example.lu', 'fr', { reference: 'DUD-2026-00500' })),
      ]);
      const id = String(last + 1);
      expect(await outboxId('esch', 't5-esch@example.lu')).toBe(id);
      expect(await outboxId('dudelange', 't5-dudelange@example.lu')).toBe(id);
      await until(async () => (await delivered('esch', [id])) && (await delivered('dudelange', [id])), 'both e-mails');
      const [esch] = sink.to('t5-esch@example.lu');
      const [dudelange] = sink.to('t5-dudelange@example.lu');
      expect(esch.subject).toContain('ESCH-2026-00500');
      expect(esch.fromName).toBe('Esch-sur-Alzette');
      expect(esch.html).toContain(ESCH_RED);
      expect(esch.html).not.toMatch(/Dudelange|Diddeleng/);
      expect(esch.messageId).toBe(`<outbox-${id}.esch@localhost>`);
      expect(dudelange.subject).toContain('DUD-2026-00500');
      expect(dudelange.fromName).toBe('Dudelange');
      expect(dudelange.html).toContain(DUDELANGE_BLUE);
      expect(dudelange.html).not.toContain(ESCH_RED);
      expect(dudelange.html).not.toMatch(/Esch/);
      expect(dudelange.text).toContain('http://dudelange.localhost:3000/dossiers/4f1c2a');
      expect(dudelange.messageId).toBe(`<outbox-${id}.dudelange@localhost>`);
      expect(await delivery('esch', id)).toMatchObject({ status: 'sent', message_id: esch.messageId });
      expect(await delivery('dudelange', id)).toMatchObject({ status: 'sent', message_id: dudelange.messageId });
    });

    it('a job naming a commune or an outbox row that does not exist fails cleanly, at once, sending nothing', async () => {
      const { rows } = await admin.query<{ id: string }>(
        `SELECT id FROM t_esch.outbox EXCEPT SELECT id FROM t_dudelange.outbox ORDER BY id LIMIT 1`,
      );
      const eschOnly = rows[0].id;
      const queue = worker.get(QueueRegistry).queue(NOTIFICATIONS_QUEUE);
      const forged = [
        { jobId: 'forged.atlantis', data: { commune: 'atlantis', outboxId: '1' }, reason: 'No commune "atlantis"' },
        {
          jobId: 'forged.missing',
          data: { commune: 'esch', outboxId: '999999' },
          reason: 'No outbox row 999999 in commune "esch"',
        },
        {
          jobId: 'forged.cross',
          data: { commune: 'dudelange', outboxId: eschOnly },
          reason: `No outbox row ${eschOnly} in commune "dudelange"`,
        },
        {
          jobId: 'forged.malformed',
          data: { commune: 't_esch"; DROP TABLE outbox; --', outboxId: '1' },
          reason: 'does not name a commune and an outbox row',
        },
      ];
      const before = sink.messages.length;
      for (const f of forged) await queue.add('email', f.data, { jobId: f.jobId, attempts: 3, backoff: 100 });
      for (const f of forged) {
        await until(async () => (await (await queue.getJob(f.jobId))?.getState()) === 'failed', `${f.jobId} to fail`);
        const job = await queue.getJob(f.jobId);
        expect(job?.failedReason).toContain(f.reason);
        // Unrecoverable: no retries.
        expect(job?.attemptsMade).toBe(1);
      }
      expect(sink.messages.length).toBe(before);
      expect(await delivery('dudelange', eschOnly)).toBeUndefined();
    });

    it("holds a suspended commune's e-mails until it is resumed", async () => {
      const registry = api.app.get(CommuneRegistry);
      await registry.suspend('dudelange', 'Unpaid invoice');
      try {
        await enqueue('dudelange', received('t6-held@example.lu', 'lb'));
        await sleep(2500);
        expect(sink.to('t6-held@example.lu')).toHaveLength(0);
      } finally {
        await registry.resume('dudelange');
      }
      await sink.waitFor((ms) => ms.some((m) => m.rcptTo.includes('t6-held@example.lu')), 20_000, 'the held e-mail');
      expect(sink.to('t6-held@example.lu')[0].subject).toBe('Mir hunn Är Ufro ESCH-2026-00042 kritt');
    });
  });

  describe('without SMTP_URL', () => {
    let worker: INestApplicationContext;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gemeng-mail-'));
      worker = await createWorker({
        config: workerConfig({ smtpUrl: undefined, dir }),
        databaseUrl: api.db.url,
        logger: false,
      });
    });
    afterAll(async () => {
      if (worker) await closeWorker(worker);
      await rm(dir, { recursive: true, force: true });
    });

    it("writes each e-mail once as an .eml file in the commune's folder", async () => {
      await enqueue('dudelange', received('t7-file@example.lu', 'de'));
      const id = await outboxId('dudelange', 't7-file@example.lu');
      const file = join(dir, 'dudelange', `${id.padStart(10, '0')}-dossier-received.eml`);
      await until(async () => (await delivery('dudelange', id))?.status === 'sent', 'the file to be written');
      const mail = await simpleParser(await readFile(file));
      expect(mail.subject).toBe('Ihre Anfrage ESCH-2026-00042 ist bei uns eingegangen');
      expect(mail.messageId).toBe(`<outbox-${id}.dudelange@localhost>`);
      expect(mail.html).toContain('Düdelingen');
      expect(mail.html).toContain(DUDELANGE_BLUE);
      expect(await readdir(join(dir, 'dudelange'))).toEqual([`${id.padStart(10, '0')}-dossier-received.eml`]);
      expect(await readdir(dir)).toEqual(['dudelange']);
    });
  });

  describe.each(['PostgreSQL', 'Redis'])('with the worker as its own process, on %s', (queueBackend) => {
    let redis: RedisServer | undefined;
    let env: Record<string, string | undefined>;

    beforeAll(async () => {
      redis = queueBackend === 'Redis' ? await RedisServer.start() : undefined;
      env = {
        ...QUICK_WORKER_ENV,
        NOTIFICATION_CONCURRENCY: '4',
        DATABASE_URL: api.db.url,
        REDIS_URL: redis?.url,
        SMTP_URL: sink.url,
      };
    });
    afterAll(async () => {
      await redis?.kill();
    });

    it('a worker killed during sending and restarted delivers each message exactly once', async () => {
      const tag = `t2-${queueBackend.toLowerCase()}`;
      const addresses = [1, 2, 3].map((n) => `${tag}-${n}@example.lu`);
      const first = await WorkerProcess.start(env);
      let second: WorkerProcess | undefined;
      try {
        const stall = sink.stallNextData();
        await enqueue('esch', ...addresses.map((a, i) => received(a, (['fr', 'de', 'en'] as const)[i])));
        const ids = await outboxIds('esch', addresses);
        const messageIds = ids.map((id) => `<outbox-${id}.esch@localhost>`);
        const { messageId: stalled } = await stall.reached;
        expect(messageIds).toContain(stalled);
        // The other two go out on other connections meanwhile; once they are recorded, the only message in
        // flight is the one the SMTP server holds.
        const others = ids.filter((_, i) => messageIds[i] !== stalled);
        await until(() => delivered('esch', others), 'the other two to be sent');
        await first.kill();
        expect(sink.withMessageId(stalled)).toHaveLength(0);

        second = await WorkerProcess.start(env);
        await until(() => delivered('esch', ids), 'the held e-mail, sent again', 30_000);
        await sleep(3000);
        for (const m of messageIds) expect(sink.withMessageId(m)).toHaveLength(1);
        // Twice in DATA: once to the killed worker, once to its successor.
        expect(sink.dataAttempts.filter((m) => m === stalled)).toHaveLength(2);
        for (const [i, id] of ids.entries()) {
          expect(await delivery('esch', id)).toMatchObject({ status: 'sent', message_id: messageIds[i] });
        }
        expect(await second.stop()).toBe(0);
      } finally {
        await first.kill();
        await second?.kill();
      }
    }, 90_000);

    if (queueBackend === 'Redis') {
      it('with the queue backend down, changes still commit and the messages go out when it is back', async () => {
        const worker = await WorkerProcess.start(env);
        try {
          await redis!.kill();
          const addresses = ['t3-1@example.lu', 't3-2@example.lu'];
          await enqueue('dudelange', received(addresses[0], 'lb'), received(addresses[1], 'fr'));
          const ids = await outboxIds('dudelange', addresses);
          await worker.waitForOutput(/notifications of dudelange wait for the next attempt/, 30_000);
          const { rows } = await admin.query<{ relayed_at: Date | null }>(
            `SELECT relayed_at FROM t_dudelange.outbox WHERE id = ANY($1::bigint[])`,
            [ids],
          );
          expect(rows.map((r) => r.relayed_at)).toEqual([null, null]);
          expect(addresses.flatMap((a) => sink.to(a))).toHaveLength(0);

          await redis!.restart();
          await until(() => delivered('dudelange', ids), 'the e-mails written while Redis was down', 60_000);
          await sleep(2000);
          for (const a of addresses) expect(sink.to(a)).toHaveLength(1);
          for (const id of ids) expect(await delivery('dudelange', id)).toMatchObject({ status: 'sent' });
          expect(await worker.stop()).toBe(0);
        } finally {
          await worker.kill();
        }
      }, 120_000);
    }
  });
});
