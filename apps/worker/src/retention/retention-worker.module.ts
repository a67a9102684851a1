import { Module } from '@nestjs/common';
import { CommunesModule } from '@gemeng/communes';
import { DocumentsModule } from '@gemeng/documents';
import { DocumentRetention } from './document-retention.service';

/** Periodic clean-ups that keep the platform from holding data longer than it needs to. */
@Module({ imports: [CommunesModule, DocumentsModule], providers: [DocumentRetention] })
export class RetentionWorkerModule {}
