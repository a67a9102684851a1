import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { GemengConfig } from '@gemeng/core';
import { IdentityModule } from '@gemeng/identity';
import { DOCUMENTS_SETTINGS, DocumentService } from './services/document.service';
import { createDocumentStorage } from './storage/create-document-storage';
import { DocumentStorage } from './storage/document-storage';

/** `document.size_bytes` is a PostgreSQL integer. */
const LARGEST_UPLOAD_LIMIT = 2 ** 31 - 1;

/**
 * The document storage and limits of the configuration, for the whole application: each application
 * that works with documents imports it once, with its configuration, and every module that imports
 * {@link DocumentsModule} shares it.
 */
@Global()
@Module({})
export class DocumentStorageModule {
  static forRoot(config: GemengConfig): DynamicModule {
    if (config.documents.maxUploadBytes > LARGEST_UPLOAD_LIMIT) {
      throw new Error(`MAX_UPLOAD_BYTES must be at most ${LARGEST_UPLOAD_LIMIT}`);
    }
    return {
      module: DocumentStorageModule,
      providers: [
        { provide: DOCUMENTS_SETTINGS, useValue: config.documents },
        { provide: DocumentStorage, useFactory: () => createDocumentStorage(config.documents) },
      ],
      exports: [DOCUMENTS_SETTINGS, DocumentStorage],
    };
  }
}

/** Uploaded documents: storage, content checks, and who may read them. */
@Module({ imports: [IdentityModule], providers: [DocumentService], exports: [DocumentService] })
export class DocumentsModule {}
