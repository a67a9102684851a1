import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { RequestContext } from '@gemeng/core';
import type { DocumentEntity } from '../entities/document.entity';

/** What a document belongs to, e.g. `{ kind: 'dossier', id }`. */
export interface DocumentOwner {
  kind: string;
  id: string;
}

/** Says whether the context's caller may see the documents of one owner of its kind. */
export type DocumentAccessPolicy = (ctx: RequestContext, ownerId: string) => Promise<boolean>;

/** Uploaded files of the commune in the request context. */
@Injectable()
export class DocumentService {
  /** Called by the library that owns a kind of owner, at module init. */
  registerOwner(kind: string, policy: DocumentAccessPolicy): void {
    throw new Error(`not yet built: ${kind} ${String(policy)}`);
  }

  /** Attaches the caller's staged documents to an owner, in the context's transaction. */
  attach(
    ctx: RequestContext,
    items: { id: string; label?: string }[],
    owner: DocumentOwner,
  ): Promise<DocumentEntity[]> {
    throw new Error(`not yet built: ${String(ctx)} ${items.length} ${owner.kind}`);
  }

  /** The documents of an owner, oldest first. */
  listFor(ctx: RequestContext, owner: DocumentOwner): Promise<DocumentEntity[]> {
    throw new Error(`not yet built: ${String(ctx)} ${owner.kind}`);
  }

  stage(ctx: RequestContext, upload: { fileName: string; content: Readable }): Promise<DocumentEntity> {
    throw new Error(`not yet built: ${String(ctx)} ${upload.fileName}`);
  }
}
