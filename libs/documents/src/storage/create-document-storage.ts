import type { GemengConfig } from '@gemeng/core';
import type { DocumentStorage } from './document-storage';
import { LocalDocumentStorage } from './local-document-storage';
import { S3DocumentStorage } from './s3-document-storage';

/** The storage the configuration names: an S3-compatible bucket when S3_BUCKET is set, else a directory. */
export function createDocumentStorage(settings: GemengConfig['documents']): DocumentStorage {
  return settings.s3 ? new S3DocumentStorage(settings.s3) : new LocalDocumentStorage(settings.dir);
}
