import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { closeWorker, createWorker } from '../apps/worker/src/bootstrap';
import { QueueRegistry } from '../apps/worker/src/queue';
import {
  DocumentRetention,
  PURGE_STAGED_DOCUMENTS,
  RETENTION_QUEUE,
} from '../apps/worker/src/retention/document-retention.service';
import { Browser } from './support/browser';
import { LoginWorld } from './support/login-world';
import { pdfBytes, upload, uploadedId } from './support/uploads';

const ESCH = 'esch.localhost';

describe('Retention: uploads never attached to anything', () => {
  let world: LoginWorld;
  let worker: INestApplicationContext;
  let admin: Client;
  const citizen = new Browser();

  const stored = async (id: string): Promise<{ row: boolean; file: boolean }> => {
    const rows = await admin.query('SELECT storage_key FROM t_esch.document WHERE id = $1', [id]);
    const key = (rows.rows[0] as { storage_key: string } | undefined)?.storage_key;
    return {
      row: rows.rowCount === 1,
      file: key ? existsSync(join(world.api.config.documents.dir, 'esch', key)) : false,
    };
  };

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange']);
    admin = new Client({ connectionString: world.api.db.adminUrl });
    await admin.connect();
    await world.logIn(citizen, ESCH, 'citizen.esch@demo.gemeng.lu');
    worker = await createWorker({
      config: { ...world.api.config, redisUrl: process.env.REDIS_URL, poolSize: 3 },
      databaseUrl: world.api.db.url,
      logger: false,
    });
  });

  afterAll(async () => {
    if (worker) await closeWorker(worker);
    await admin?.end();
    await world?.stop();
  });

  it('schedules the purge hourly in the queue, once whatever the number of workers', async () => {
    const schedulers = await worker.get(QueueRegistry).queue(RETENTION_QUEUE).getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: PURGE_STAGED_DOCUMENTS, every: 3_600_000 })]);
  });

  it('deletes uploads left unattached for a day, rows and bytes, and keeps everything else', async () => {
    const forgotten = uploadedId(await upload(citizen, world.url(ESCH, '/documents'), 'forgotten.pdf', pdfBytes('a')));
    const recent = uploadedId(await upload(citizen, world.url(ESCH, '/documents'), 'recent.pdf', pdfBytes('b')));
    const attached = uploadedId(await upload(citizen, world.url(ESCH, '/documents'), 'attached.pdf', pdfBytes('c')));
    const page = await citizen.send('POST', world.url(ESCH, '/graphql'), {
      json: {
        query: `mutation($doc: ID!) { submitDossier(input: { typeCode: "interview", subject: "Kept", description: "x",
                  preferredChannel: IN_PERSON, documents: [{ id: $doc }] }) { id } }`,
        variables: { doc: attached },
      },
    });
    expect(JSON.parse(page.body).errors).toBeUndefined();
    await admin.query(`UPDATE t_esch.document SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [
      [forgotten, attached],
    ]);
    expect(await stored(forgotten)).toEqual({ row: true, file: true });

    const report = await worker.get(DocumentRetention).purgeStagedDocuments();

    expect(report).toEqual({ communes: 2, purged: 1, failed: [] });
    expect(await stored(forgotten)).toEqual({ row: false, file: false });
    expect(await stored(recent)).toEqual({ row: true, file: true });
    expect(await stored(attached)).toEqual({ row: true, file: true });
  });
});
