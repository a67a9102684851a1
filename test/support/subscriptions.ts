import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Browser } from './browser';

/** Where a subscription client connects: 127.0.0.1 at `port`, as `host`, like a browser on that page. */
export interface SubscriptionTarget {
  port: number;
  /** The Host header, e.g. `esch.localhost:41234`. */
  host: string;
  /** Whose cookies go with the upgrade: the browser's for `cookieHost` (by default `host`). */
  browser?: Browser;
  /** Another instance of the platform behind the same address has the same cookies. */
  cookieHost?: string;
  /** Browsers send the page's origin; clients that are not browsers send none. */
  origin?: string;
}

/** One result pushed by the server, or the errors that ended the operation. */
export interface SubscriptionResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface Closure {
  code: number;
  reason: string;
}

function upgradeHeaders(target: SubscriptionTarget): Record<string, string> {
  const cookies = target.browser?.cookies(target.cookieHost ?? target.host);
  const cookie = cookies ? [...cookies.entries()].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  return {
    host: target.host,
    ...(cookie ? { cookie } : {}),
    ...(target.origin ? { origin: target.origin } : {}),
  };
}

/**
 * The results of one subscription, in order. `next()` waits for the next one; `received()` collects
 * whatever arrives within a while, to show that nothing does.
 */
export class SubscriptionFeed<T> {
  private readonly results: SubscriptionResult<T>[] = [];
  private readonly waiters: ((result: SubscriptionResult<T> | undefined) => void)[] = [];
  private ending: string | undefined;
  /** Ends the subscription from the client's side (a `complete` message). */
  unsubscribe: () => void = () => undefined;

  /** How the operation ended, once it has: `complete`, `error`, or the connection's close code and reason. */
  get ended(): string | undefined {
    return this.ending;
  }

  push(result: SubscriptionResult<T>): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(result);
    else this.results.push(result);
  }

  end(how: string): void {
    this.ending ??= how;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  /** The next result; fails when none comes within `timeoutMs`, or the operation ends first. */
  async next(timeoutMs = 5000): Promise<SubscriptionResult<T>> {
    const queued = this.results.shift();
    if (queued) return queued;
    if (this.ending) throw new Error(`The subscription ended (${this.ending}) with no further result`);
    let timer: NodeJS.Timeout | undefined;
    const result = await new Promise<SubscriptionResult<T> | undefined | 'timeout'>((resolve) => {
      this.waiters.push(resolve);
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }).finally(() => clearTimeout(timer));
    if (result === 'timeout') {
      this.waiters.shift();
      throw new Error(`No result within ${timeoutMs} ms`);
    }
    if (!result) throw new Error(`The subscription ended (${this.ending}) with no further result`);
    return result;
  }

  /** Every result that arrives within `ms` (none, when nothing is pushed). */
  async received(ms: number): Promise<SubscriptionResult<T>[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.results.splice(0);
  }
}

/**
 * A graphql-ws client (the `graphql-transport-ws` protocol) as a browser page would open it: with the
 * host's cookies and, when given, the page's Origin.
 */
export class SubscriptionClient {
  private closure: Closure | undefined;

  private constructor(private readonly client: Client) {}

  /** Connects and waits for the server's acknowledgement; fails with the close code when refused. */
  static async connect(target: SubscriptionTarget, timeoutMs = 5000): Promise<SubscriptionClient> {
    const headers = upgradeHeaders(target);
    class WebSocketWithHeaders extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    let connection: SubscriptionClient | undefined;
    return new Promise<SubscriptionClient>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Not connected within ${timeoutMs} ms`)), timeoutMs);
      const client = createClient({
        url: `ws://127.0.0.1:${target.port}/graphql`,
        webSocketImpl: WebSocketWithHeaders,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => undefined,
        on: {
          connected: () => {
            clearTimeout(timer);
            resolve(connection as SubscriptionClient);
          },
          closed: (event) => {
            const { code, reason } = event as Closure;
            clearTimeout(timer);
            if (connection) connection.closure = { code, reason: String(reason) };
            reject(new Error(`The connection was closed: ${code} ${String(reason)}`));
          },
        },
      });
      connection = new SubscriptionClient(client);
    });
  }

  /** How the server closed the connection, once it has. */
  get closed(): Closure | undefined {
    return this.closure;
  }

  subscribe<T>(query: string, variables?: Record<string, unknown>): SubscriptionFeed<T> {
    const feed = new SubscriptionFeed<T>();
    feed.unsubscribe = this.client.subscribe<T>(
      { query, variables },
      {
        next: (result) => feed.push(result as SubscriptionResult<T>),
        error: (error) => {
          if (Array.isArray(error)) {
            feed.push({ errors: error as SubscriptionResult<T>['errors'] });
            feed.end('error');
          } else {
            const { code, reason } = error as Closure;
            feed.end(code ? `closed ${code}: ${String(reason)}` : String(error));
          }
        },
        complete: () => feed.end('complete'),
      },
    );
    return feed;
  }

  /** Closes the connection cleanly (1000). */
  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/** The answer to a WebSocket upgrade request: 101, or an HTTP error with its body. */
export interface UpgradeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a bare WebSocket upgrade request, to see how the server answers it before any handshake. */
export function tryUpgrade(target: SubscriptionTarget, path = '/graphql'): Promise<UpgradeAnswer> {
  return new Promise<UpgradeAnswer>((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: target.port,
      path,
      headers: {
        ...upgradeHeaders(target),
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'graphql-transport-ws',
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('The upgrade was not answered within 5 s')));
    req.end();
  });
}
