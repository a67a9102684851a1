import { Module } from '@nestjs/common';
import { IdentityModule } from '@gemeng/identity';
import { DocumentService } from './services/document.service';

/** Uploaded documents: storage, content checks, and who may read them. */
@Module({ imports: [IdentityModule], providers: [DocumentService], exports: [DocumentService] })
export class DocumentsModule {}
