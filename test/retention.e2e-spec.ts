import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { CommuneRegistry, toSnapshot } from '@gemeng/communes';
import { RequestContext } from '@gemeng/core';
import { DocumentService } from '@gemeng/documents';
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
const DUDELANGE = 'dudelange.localhost';

describe('Retention: uploads never attached to anything', () => {
  let world: LoginWorld;
  let worker: INestApplicationContext;
  let admin: Client;
  const citizen = new Browser();

  const storageKey = async (id: string, commune: string): Promise<string | undefined> => {
    const rows = await admin.query(`SELECT storage_key FROM t_${commune}.document WHERE id = $1`, [id]);
    return (rows.rows[0] as { storage_key: string } | undefined)?.storage_key;
  };
  const stored = async (id: string, commune = 'esch'): Promise<{ row: boolean; file: boolean }> => {
    const key = await storageKey(id, commune);
    return {
      row: key !== undefined,
      file: key ? existsSync(join(world.api.config.documents.dir, commune, key)) : false,
    };
  };
  const age = (commune: string, ids: string[]): Promise<unknown> =>
    admin.query(`UPDATE t_${commune}.document SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [ids]);

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
    await age('esch', [forgotten, attached]);
    expect(await stored(forgotten)).toEqual({ row: true, file: true });

    const report = await worker.get(DocumentRetention).purgeStagedDocuments();

    expect(report).toEqual({ communes: 2, purged: 1, failed: [] });
    expect(await stored(forgotten)).toEqual({ row: false, file: false });
    expect(await stored(recent)).toEqual({ row: true, file: true });
    expect(await stored(attached)).toEqual({ row: true, file: true });
  });

  it("purges each commune under its own prefix and never another commune's rows or files", async () => {
    const neighbour = new Browser();
    await world.logIn(neighbour, DUDELANGE, 'citizen.dudelange@demo.gemeng.lu');
    const theirs = uploadedId(await upload(neighbour, world.url(DUDELANGE, '/documents'), 'theirs.pdf', pdfBytes('d')));
    const ours = uploadedId(await upload(citizen, world.url(ESCH, '/documents'), 'ours.pdf', pdfBytes('e')));
    // The attacker's side: a row of Esch that names the very storage key of Dudelange's file.
    await admin.query('UPDATE t_esch.document SET storage_key = $1 WHERE id = $2', [
      await storageKey(theirs, 'dudelange'),
      ours,
    ]);
    await age('esch', [ours]);
    await age('dudelange', [theirs]);
    const esch = toSnapshot(await worker.get(CommuneRegistry).getBySlug('esch'));

    // Esch's purge alone: its row goes, and nothing of Dudelange's, not even the file under the same key.
    expect(await worker.get(DocumentService).purgeStaged(RequestContext.forCommune(esch))).toBe(1);
    expect(await stored(ours)).toEqual({ row: false, file: false });
    expect(await stored(theirs, 'dudelange')).toEqual({ row: true, file: true });

    // The hourly pass purges Dudelange's own upload, under Dudelange's prefix.
    const report = await worker.get(DocumentRetention).purgeStagedDocuments();
    expect(report).toEqual({ communes: 2, purged: 1, failed: [] });
    expect(await stored(theirs, 'dudelange')).toEqual({ row: false, file: false });
  });
});
