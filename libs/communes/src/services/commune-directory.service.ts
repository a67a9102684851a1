import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresListener } from '@gemeng/database';
import { CommuneEntity } from '../entities/commune.entity';
import { toSnapshot, type CommuneSnapshot } from './commune-snapshot';

export type HostResolution =
  { kind: 'commune'; commune: CommuneSnapshot } | { kind: 'operator' } | { kind: 'unknown'; host: string };

const CHANNEL = 'commune_changed';

/** Lowercases a Host header and strips its port and any trailing dot. */
export function normalizeHost(host: string | undefined): string {
  const value = (host ?? '').trim().toLowerCase();
  const withoutPort = value.startsWith('[') ? value : value.replace(/:\d+$/, '');
  return withoutPort.replace(/\.$/, '');
}

/**
 * Every commune an API instance answers for, keyed by host, in memory. It is loaded once and kept fresh
 * by LISTEN/NOTIFY on one dedicated connection (the platform's triggers announce every change), so
 * resolving a host never costs a query and never depends on how many communes there are.
 */
@Injectable()
export class CommuneDirectory implements OnApplicationShutdown {
  private readonly logger = new Logger(CommuneDirectory.name);
  private readonly byId = new Map<string, CommuneSnapshot>();
  private readonly byHost = new Map<string, CommuneSnapshot>();
  private listener: PostgresListener | undefined;
  private baseDomain = 'localhost';

  constructor(private readonly dataSource: DataSource) {}

  /** Loads every commune and starts listening for changes. */
  async start(baseDomain: string): Promise<void> {
    this.baseDomain = baseDomain;
    this.listener = new PostgresListener({
      ...PostgresListener.connectionOf(this.dataSource, 'listener'),
      channel: CHANNEL,
      description: 'commune change listener',
      logger: this.logger,
      onNotification: (id) =>
        this.refresh(id).catch((error: unknown) =>
          this.logger.error(`Could not reload commune ${id}: ${String(error)}`),
        ),
      // Changes made while nobody listened are caught up by a full reload.
      onReconnected: () => this.reloadAll(),
    });
    // LISTEN before loading, so that no change slips between the load and the first notification.
    await this.listener.start();
    await this.reloadAll();
  }

  async onApplicationShutdown(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }

  resolve(rawHost: string | undefined): HostResolution {
    const host = normalizeHost(rawHost);
    const suffix = `.${this.baseDomain}`;
    if (host.endsWith(suffix)) {
      const label = host.slice(0, -suffix.length);
      if (label === 'operator') return { kind: 'operator' };
      if (!label.includes('.')) {
        const commune = this.byHost.get(label);
        if (commune) return { kind: 'commune', commune };
      }
      return { kind: 'unknown', host };
    }
    const commune = this.byHost.get(host);
    return commune ? { kind: 'commune', commune } : { kind: 'unknown', host };
  }

  /** The commune a request was resolved to; it is in the directory by construction. */
  get(id: string): CommuneSnapshot {
    const commune = this.byId.get(id);
    if (!commune) throw new Error(`Commune ${id} is not in the directory`);
    return commune;
  }

  bySlug(slug: string): CommuneSnapshot | undefined {
    for (const commune of this.byId.values()) if (commune.slug === slug) return commune;
    return undefined;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Reloads one commune now, for changes made by this instance (others learn of them by NOTIFY). */
  async refresh(id: string): Promise<void> {
    const entity = await this.dataSource
      .getRepository(CommuneEntity)
      .findOne({ where: { id }, relations: { domains: true } });
    this.forget(id);
    if (entity) this.remember(toSnapshot(entity));
  }

  private async reloadAll(): Promise<void> {
    const entities = await this.dataSource.getRepository(CommuneEntity).find({ relations: { domains: true } });
    this.byId.clear();
    this.byHost.clear();
    for (const entity of entities) this.remember(toSnapshot(entity));
  }

  private remember(snapshot: CommuneSnapshot): void {
    this.byId.set(snapshot.id, snapshot);
    for (const host of snapshot.hosts) this.byHost.set(host, snapshot);
  }

  private forget(id: string): void {
    const previous = this.byId.get(id);
    if (!previous) return;
    this.byId.delete(id);
    for (const host of previous.hosts) if (this.byHost.get(host) === previous) this.byHost.delete(host);
  }
}
