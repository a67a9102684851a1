import type { Logger } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import type { DataSource } from 'typeorm';
import { quoteIdent } from './tenant-names';

const RECONNECT_DELAY_MS = 1000;

export interface PostgresListenerOptions {
  connectionString: string | undefined;
  /** Shown in pg_stat_activity, so that operators and tests can tell this connection from the pool's. */
  applicationName: string;
  channel: string;
  /** Names the connection in log lines, e.g. 'commune change listener'. */
  description: string;
  logger: Logger;
  /** Called with the payload of every notification on the channel that has one. */
  onNotification(payload: string): void | Promise<void>;
  /**
   * Called after a reconnection, to catch up on what was notified while nobody listened. If it fails,
   * the connection is dropped and made again, so that a catch-up is never skipped.
   */
  onReconnected?(): void | Promise<void>;
  reconnectDelayMs?: number;
}

/**
 * One dedicated connection that LISTENs on one channel, for as long as its owner runs. LISTEN cannot go
 * through the pool (a pooled connection is shared and recycled), so each listener holds a client of its
 * own and makes it again, after a delay and for as long as it takes, whenever the server drops it.
 */
export class PostgresListener {
  private client: Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PostgresListenerOptions) {}

  /**
   * The connection string of a DataSource and its application name with `suffix` appended (e.g.
   * 'gemeng-api' and 'listener' give 'gemeng-api-listener'), for a listener beside that DataSource's pool.
   */
  static connectionOf(
    dataSource: DataSource,
    suffix: string,
  ): Pick<PostgresListenerOptions, 'connectionString' | 'applicationName'> {
    const options = dataSource.options as { url?: string; extra?: { application_name?: string } };
    return {
      connectionString: options.url,
      applicationName: `${options.extra?.application_name ?? 'gemeng'}-${suffix}`,
    };
  }

  /**
   * Connects and LISTENs. It throws if that fails, so that its owner's start-up fails with the reason
   * rather than running deaf; later drops are reconnected without the owner's help.
   */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Stops reconnecting and ends the connection. The listener cannot be started again. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { connectionString, applicationName, channel, description, logger } = this.options;
    const client = new Client({
      connectionString,
      application_name: applicationName,
      // A connection that only ever reads would not notice a vanished server without keep-alives.
      keepAlive: true,
    });
    client.on('notification', (message) => this.dispatch(message));
    // Without a handler, an error on an idle client would crash the process.
    client.on('error', (error) => logger.warn(`The ${description} failed: ${error.message}`));
    client.on('end', () => {
      if (this.closed || this.client !== client) return;
      this.client = undefined;
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // close() may have been called while connecting; it could not end a client it did not know of yet.
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private dispatch(message: Notification): void {
    if (message.channel !== this.options.channel || !message.payload) return;
    const { description, logger } = this.options;
    const fail = (error: unknown) =>
      logger.error(`The ${description} could not handle ${message.payload}: ${messageOf(error)}`);
    try {
      Promise.resolve(this.options.onNotification(message.payload)).catch(fail);
    } catch (error) {
      // A throw must not reach pg's event emitter, which would take the connection down with it.
      fail(error);
    }
  }

  private reconnectLater(): void {
    if (this.closed) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.reconnect(), this.options.reconnectDelayMs ?? RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    const { description, logger } = this.options;
    try {
      await this.connect();
    } catch (error) {
      logger.warn(`Reconnecting the ${description} failed: ${messageOf(error)}`);
      this.reconnectLater();
      return;
    }
    if (this.closed) return;
    const client = this.client;
    try {
      await this.options.onReconnected?.();
    } catch (error) {
      logger.warn(`The ${description} could not catch up after reconnecting: ${messageOf(error)}`);
      // If the connection dropped meanwhile, its end handler reconnects already (and catches up again).
      if (this.closed || !client || this.client !== client) return;
      // Dropped and made again, so that the catch-up is retried rather than silently skipped.
      this.client = undefined;
      await client.end().catch(() => undefined);
      this.reconnectLater();
      return;
    }
    logger.log(`The ${description} is connected again`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
