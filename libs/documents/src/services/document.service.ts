import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import {
  GemengError,
  InvalidInputError,
  NotFoundError,
  type GemengConfig,
  type InputProblem,
  type RequestContext,
} from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { IdentityService } from '@gemeng/identity';
import { In } from 'typeorm';
import { ACCEPTED_FORMATS, SNIFF_BYTES, sniffContentType } from '../content/content-type';
import { fileNameProblem } from '../content/file-name';
import { DocumentEntity } from '../entities/document.entity';
import { DocumentStorage, newStorageKey } from '../storage/document-storage';

/** What a document belongs to, e.g. `{ kind: 'dossier', id }`. */
export interface DocumentOwner {
  kind: string;
  id: string;
}

/** Says whether the context's caller may see the documents of one owner of its kind. */
export type DocumentAccessPolicy = (ctx: RequestContext, ownerId: string) => Promise<boolean>;

/** The documents part of the configuration. */
export type DocumentsSettings = GemengConfig['documents'];
export const DOCUMENTS_SETTINGS = Symbol('DOCUMENTS_SETTINGS');

/** How long an upload may wait to be attached before {@link DocumentService.purgeStaged} deletes it. */
export const STAGED_LIFETIME_MS = 24 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OWNER_KIND = /^[a-z][a-z-]*$/;
const PURGE_BATCH = 200;

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** The file is over the upload limit; the HTTP edge answers 413. */
export class DocumentTooLargeError extends InvalidInputError {
  constructor(readonly maxBytes: number) {
    super('The file cannot be accepted', [{ path: 'file', message: `is larger than ${formatBytes(maxBytes)}` }]);
  }
}

/** Passes bytes through until more than `maxBytes` went by, then fails with {@link DocumentTooLargeError}. */
class SizeLimit extends Transform {
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(this.bytes > this.maxBytes ? new DocumentTooLargeError(this.maxBytes) : null, chunk);
  }
}

/**
 * The first `n` bytes of a stream (fewer if it is shorter), read before anything is stored, and a
 * stream of the whole content, head included, that goes on reading the source with its backpressure.
 */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; content: Readable }> {
  const iterator: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < n && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      chunks.push(next.value);
      length += next.value.length;
    }
  }
  const first = Buffer.concat(chunks);
  async function* whole(): AsyncGenerator<Buffer> {
    try {
      if (first.length) yield first;
      for (let next = done ? undefined : await iterator.next(); next && !next.done; next = await iterator.next()) {
        yield next.value;
      }
    } finally {
      // Ends (destroys) the source when the reader stops early, on an error downstream.
      await iterator.return?.();
    }
  }
  return { head: first.subarray(0, n), content: Readable.from(whole(), { objectMode: false }) };
}

/**
 * Uploaded files of the commune in the request context. An upload is staged (no owner) until the change
 * it belongs to attaches it; who may read an attached document is decided by the policy its owner's kind
 * registered, and a staged one only by its uploader.
 */
@Injectable()
export class DocumentService implements OnModuleInit {
  private readonly logger = new Logger(DocumentService.name);
  private readonly owners = new Map<string, DocumentAccessPolicy>();

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly identity: IdentityService,
    private readonly storage: DocumentStorage,
    @Inject(DOCUMENTS_SETTINGS) private readonly settings: DocumentsSettings,
  ) {}

  onModuleInit(): void {
    this.identity.registerPersonalData('documents', (ctx, citizenId) => this.exportFor(ctx, citizenId));
  }

  /** Called by the library that owns a kind of owner, at module init. */
  registerOwner(kind: string, policy: DocumentAccessPolicy): void {
    if (!OWNER_KIND.test(kind)) throw new Error(`"${kind}" is not a valid document owner kind`);
    if (this.owners.has(kind)) throw new Error(`The document owner kind "${kind}" is registered twice`);
    this.owners.set(kind, policy);
  }

  /**
   * Stages an upload of the logged-in user: checks the name, then the type from the first bytes, streams
   * the content to storage under a generated key (at most the configured size), then records it. When
   * `received` is given, the row is written only once it resolves (the HTTP edge resolves it when the
   * request held this one file and nothing else). Whatever fails, the stored bytes are deleted again.
   * Call it with a context whose calls commit on their own, as the HTTP edge does: were the row rolled
   * back with a later change, its bytes would be left behind.
   */
  async stage(
    ctx: RequestContext,
    upload: { fileName: string; content: Readable; received?: Promise<void> },
  ): Promise<DocumentEntity> {
    const nameProblem = fileNameProblem(upload.fileName);
    if (nameProblem) {
      throw new InvalidInputError('The file cannot be accepted', [{ path: 'file.name', message: nameProblem }]);
    }
    const uploadedBy = await this.uploader(ctx);
    const { head, content } = await peek(upload.content, SNIFF_BYTES);
    const contentType = head.length ? sniffContentType(head) : undefined;
    if (!contentType) {
      throw new InvalidInputError('The file cannot be accepted', [
        {
          path: 'file',
          message: head.length
            ? `is not a ${ACCEPTED_FORMATS} file (its content was checked, not its name)`
            : 'is empty',
        },
      ]);
    }
    const commune = ctx.requireCommune().slug;
    const storageKey = newStorageKey();
    // The callback form hands a failure of `content` on to the limit, which the storage is reading.
    const limited = pipeline(content, new SizeLimit(this.settings.maxUploadBytes), () => undefined);
    const stored = await this.storage.put(commune, storageKey, limited);
    try {
      await upload.received;
      return await this.transactions.run(ctx, async (manager) => {
        const inserted = await manager.insert(DocumentEntity, {
          uploadedBy,
          fileName: upload.fileName,
          contentType,
          sizeBytes: stored.sizeBytes,
          sha256: stored.sha256,
          storageKey,
        });
        return manager.findOneByOrFail(DocumentEntity, { id: inserted.identifiers[0].id as string });
      });
    } catch (error) {
      await this.discardBytes(commune, storageKey);
      throw error;
    }
  }

  /**
   * Attaches the caller's staged documents to an owner, in the context's transaction, so that they are
   * attached if and only if the owner's change commits. Only documents that the caller uploaded and that
   * belong to nothing yet can be attached; any other id is refused with the same message whatever the
   * reason, so that nobody learns about others' documents by trying ids. The rows are locked: one upload
   * cannot be attached twice by two changes at once.
   */
  async attach(
    ctx: RequestContext,
    items: { id: string; label?: string }[],
    owner: DocumentOwner,
  ): Promise<DocumentEntity[]> {
    if (!this.owners.has(owner.kind)) throw new Error(`No document owner kind "${owner.kind}" is registered`);
    if (!items.length) return [];
    const problems: InputProblem[] = [];
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) problems.push({ path: `documents.${i}.id`, message: `${item.id} is listed twice` });
      seen.add(item.id);
    });
    if (problems.length) throw new InvalidInputError('Invalid documents', problems);
    return this.transactions.run(ctx, async (manager) => {
      const uploader = await this.uploader(ctx);
      const ids = items.map((item) => item.id).filter((id) => UUID.test(id));
      const rows = ids.length
        ? await manager
            .createQueryBuilder(DocumentEntity, 'd')
            .where('d.id IN (:...ids)', { ids })
            .orderBy('d.id')
            .setLock('pessimistic_write')
            .getMany()
        : [];
      const attachable = new Set(rows.filter((d) => d.ownerId === null && d.uploadedBy === uploader).map((d) => d.id));
      items.forEach((item, i) => {
        if (!attachable.has(item.id)) {
          problems.push({ path: `documents.${i}.id`, message: `${item.id} is not one of your uploaded documents` });
        }
      });
      if (problems.length) throw new InvalidInputError('Invalid documents', problems);
      const attachedAt = new Date();
      for (const item of items) {
        await manager.update(
          DocumentEntity,
          { id: item.id },
          { ownerKind: owner.kind, ownerId: owner.id, label: item.label ?? null, attachedAt },
        );
      }
      const attached = await manager.findBy(DocumentEntity, { id: In(ids) });
      return ids.map((id) => attached.find((d) => d.id === id)).filter((d): d is DocumentEntity => Boolean(d));
    });
  }

  /** The documents of an owner, oldest first. */
  async listFor(ctx: RequestContext, owner: DocumentOwner): Promise<DocumentEntity[]> {
    return this.transactions.run(ctx, (manager) =>
      manager.find(DocumentEntity, {
        where: { ownerKind: owner.kind, ownerId: owner.id },
        order: { attachedAt: 'ASC', createdAt: 'ASC', id: 'ASC' },
      }),
    );
  }

  /**
   * A document the caller may see, with its bytes to stream. Not existing and not being allowed to see
   * it give the same {@link NotFoundError}: a document's existence is not revealed to whoever may not
   * see it. A staged document is visible to its uploader only; an attached one as its owner's policy says.
   */
  async open(ctx: RequestContext, id: string): Promise<{ document: DocumentEntity; content: Readable }> {
    const document = UUID.test(id)
      ? await this.transactions.run(ctx, async (manager) => {
          const found = await manager.findOneBy(DocumentEntity, { id });
          return found && (await this.maySee(ctx, found)) ? found : null;
        })
      : null;
    if (!document) throw new NotFoundError('No such document');
    return { document, content: await this.storage.open(ctx.requireCommune().slug, document.storageKey) };
  }

  /**
   * Deletes the commune's staged documents older than `olderThanMs` (24 hours by default), rows and
   * bytes: uploads whose change was never submitted. Meant to run periodically for every commune.
   * Documents being attached at that moment are skipped (their rows are locked), not waited for.
   * Returns how many were deleted.
   */
  async purgeStaged(ctx: RequestContext, olderThanMs = STAGED_LIFETIME_MS): Promise<number> {
    const commune = ctx.requireCommune().slug;
    let purged = 0;
    for (;;) {
      const batch = await this.transactions.run(ctx, async (manager) => {
        const rows = (await manager.query(
          `WITH gone AS (
             DELETE FROM document WHERE id IN (
               SELECT id FROM document
               WHERE owner_id IS NULL AND created_at < now() - make_interval(secs => $1)
               ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
             RETURNING storage_key)
           SELECT storage_key FROM gone`,
          [olderThanMs / 1000, PURGE_BATCH],
        )) as { storage_key: string }[];
        const keys = rows.map((r) => r.storage_key);
        // Bytes go only once the rows are gone for good: a rolled-back purge must leave documents whole.
        await this.transactions.afterCommit(ctx, async () => {
          for (const key of keys) await this.discardBytes(commune, key);
        });
        return keys.length;
      });
      purged += batch;
      if (batch < PURGE_BATCH) return purged;
    }
  }

  private async maySee(ctx: RequestContext, document: DocumentEntity): Promise<boolean> {
    if (document.ownerKind === null || document.ownerId === null) {
      if (document.uploadedBy === null || !ctx.user) return false;
      const me = await this.identity.me(ctx).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      return document.uploadedBy === me?.citizen.id;
    }
    const policy = this.owners.get(document.ownerKind);
    if (!policy) {
      this.logger.warn(`Document ${document.id} belongs to "${document.ownerKind}", a kind nobody registered`);
      return false;
    }
    return policy(ctx, document.ownerId);
  }

  /** The citizen profile id of the logged-in caller, who is the uploader. */
  private async uploader(ctx: RequestContext): Promise<string> {
    if (!ctx.user) throw new GemengError('UNAUTHENTICATED', 'Log in on this commune to upload documents');
    try {
      return (await this.identity.me(ctx)).citizen.id;
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new GemengError('UNAUTHENTICATED', 'Your profile on this commune is gone; log in again');
      }
      throw error;
    }
  }

  private async discardBytes(commune: string, key: string): Promise<void> {
    try {
      await this.storage.delete(commune, key);
    } catch (error) {
      this.logger.error(`Could not delete the stored bytes ${commune}/${key}: ${String(error)}`);
    }
  }

  private async exportFor(ctx: RequestContext, citizenId: string): Promise<unknown> {
    const documents = await this.transactions.run(ctx, (manager) =>
      manager.find(DocumentEntity, { where: { uploadedBy: citizenId }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
    return documents.map((d) => ({
      id: d.id,
      fileName: d.fileName,
      contentType: d.contentType,
      sizeBytes: d.sizeBytes,
      sha256: d.sha256,
      uploadedAt: d.createdAt.toISOString(),
      attachedTo: d.ownerKind && d.ownerId ? { kind: d.ownerKind, id: d.ownerId } : null,
      label: d.label,
      downloadUrl: `/documents/${d.id}`,
    }));
  }
}
