import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { CommuneRegistry, toSnapshot } from '@gemeng/communes';
import { RequestContext } from '@gemeng/core';
import { DocumentService } from '@gemeng/documents';
import { QueueRegistry } from '../queue';

export const RETENTION_QUEUE = 'retention';
export const PURGE_STAGED_DOCUMENTS = 'purge-staged-documents';
const EVERY_HOUR_MS = 60 * 60 * 1000;

export interface PurgeReport {
  communes: number;
  purged: number;
  failed: string[];
}

/**
 * Deletes uploads that were never attached to anything (see docs/documents.md), every hour, commune by
 * commune. The schedule lives in the queue, so several workers run it once per hour between them.
 */
@Injectable()
export class DocumentRetention implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('DocumentRetention');

  constructor(
    private readonly queues: QueueRegistry,
    private readonly registry: CommuneRegistry,
    private readonly documents: DocumentService,
  ) {}

  onModuleInit(): void {
    this.queues.process(RETENTION_QUEUE, async (job) => {
      if (job.name !== PURGE_STAGED_DOCUMENTS) throw new Error(`Unknown retention job "${job.name}"`);
      return this.purgeStagedDocuments();
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queues
      .queue(RETENTION_QUEUE)
      .upsertJobScheduler(PURGE_STAGED_DOCUMENTS, { every: EVERY_HOUR_MS }, { name: PURGE_STAGED_DOCUMENTS });
  }

  /** One pass over every active commune; a commune that fails is reported and the others go on. */
  async purgeStagedDocuments(): Promise<PurgeReport> {
    const report: PurgeReport = { communes: 0, purged: 0, failed: [] };
    // Straight from the register's rows: the worker's directory may not know a commune onboarded a moment ago.
    for (const commune of await this.registry.list('active')) {
      try {
        report.purged += await this.documents.purgeStaged(RequestContext.forCommune(toSnapshot(commune)));
        report.communes++;
      } catch (error) {
        report.failed.push(commune.slug);
        this.logger.error(`Staged documents of ${commune.slug} were not purged: ${String(error)}`);
      }
    }
    if (report.purged || report.failed.length) {
      this.logger.log(
        `Purged ${report.purged} unattached upload(s) in ${report.communes} commune(s)` +
          (report.failed.length ? `; failed: ${report.failed.join(', ')}` : ''),
      );
    }
    return report;
  }
}
