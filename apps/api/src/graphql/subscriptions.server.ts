import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import type { SessionData, Store } from 'express-session';
import type { GraphQLError } from 'graphql';
import type { Context, Disposable, ServerOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { CommuneDirectory } from '@gemeng/communes';
import type { GemengConfig, GraphQLRequestContext, RequestContext, SessionUser } from '@gemeng/core';
import { LiveEvents } from '@gemeng/live';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { hostKey } from '../auth/auth.controller';
import { SessionHandler } from '../auth/session.middleware';
import { httpRequestContext } from './request-context.factory';
import {
  checkOperation,
  formatSubscriptionError,
  requestError,
  subscribeScoped,
  type SubscribePayload,
} from './subscriptions.operations';
import { hostRefusal, type UpgradeRefusal } from '../http/host-refusal';
import { isSameOrigin, refuseUpgrade } from './subscriptions.upgrade';

/** Subscriptions share the path of queries and mutations; the upgrade tells them apart. */
export const SUBSCRIPTIONS_PATH = '/graphql';
/** A subscribe message is a query and its variables: HTTP's JSON body limit (100 kB) is more than ample. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Enough for a page that follows every dossier of a citizen or a department's inbox view. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** How long a client may take to answer the server's goodbye at shutdown before it is cut off. */
const GOODBYE_MS = 2000;

/** graphql-ws close codes: a session that ended is 4401 Unauthorized; a commune gone, 4403 Forbidden. */
interface ConnectionLoss {
  closeCode: number;
  code: string;
  reason: string;
}

function storedSession(store: Store, id: string): Promise<SessionData | null | undefined> {
  return new Promise((resolve, reject) =>
    store.get(id, (error: unknown, session) => (error ? reject(error as Error) : resolve(session))),
  );
}

/**
 * One WebSocket connection, with its upgrade request as the host and session middleware would have
 * left an HTTP request. A connection lives for hours, so each operation and each event first checks
 * that the commune still answers at this host and that a logged-in user's session still exists.
 */
class SubscriberConnection {
  private readonly boundTo: string | undefined;
  private readonly user: SessionUser | undefined;

  constructor(
    private readonly req: Request,
    private readonly directory: CommuneDirectory,
    private readonly config: GemengConfig,
  ) {
    this.boundTo = hostKey(req);
    this.user = httpRequestContext(req, config).user;
  }

  /** A context of its own for each operation; each service call in it commits on its own. */
  context(): RequestContext {
    return httpRequestContext(this.req, this.config, false);
  }

  /** Why the connection may no longer be served, if it may not. */
  async loss(): Promise<ConnectionLoss | undefined> {
    const resolution = this.directory.resolve(this.req.headers.host);
    const refusal = hostRefusal(resolution);
    if (refusal) return { closeCode: 4403, code: refusal.code, reason: refusal.message };
    if (resolution.kind === 'unknown') return undefined;
    this.req.gemengHost = resolution;
    if (hostKey(this.req) !== this.boundTo) {
      return { closeCode: 4403, code: 'FORBIDDEN', reason: 'This address now belongs to another commune' };
    }
    if (!this.user) return undefined;
    const session = await storedSession(this.req.sessionStore, this.req.sessionID);
    if (session?.user?.subject === this.user.subject && session.boundTo === this.boundTo) return undefined;
    return { closeCode: 4401, code: 'UNAUTHENTICATED', reason: 'The session has ended; log in again' };
  }
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol) on /graphql, next to Apollo's HTTP
 * endpoint. The WebSocket server is the platform's own rather than the GraphQL module's
 * `subscriptions` option: that one accepts every upgrade on the path before any check and keeps ws's
 * 100 MiB message limit. Here an upgrade is refused with an HTTP error before the handshake (unknown
 * or suspended commune, a page of another site), and every operation gets the checks and the context
 * an HTTP request gets.
 */
@Injectable()
export class SubscriptionServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Subscriptions');
  private readonly connections = new WeakMap<IncomingMessage, SubscriberConnection>();
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void =>
    void this.upgrade(req, socket, head);
  private wss: WebSocketServer | undefined;
  private disposable: Disposable | undefined;
  private server: Server | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly directory: CommuneDirectory,
    private readonly live: LiveEvents,
    // The very session handling of HTTP requests (cookie, signature, store), run on the upgrade request.
    private readonly sessions: SessionHandler,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Listening before the first upgrade, so that a first subscriber misses no event.
    await this.live.listen();
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    this.disposable = useServer(this.options(), wss);
    this.wss = wss;
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
  }

  /** Stops taking connections and closes the open ones, before the HTTP server and live events stop. */
  async onModuleDestroy(): Promise<void> {
    this.server?.off('upgrade', this.onUpgrade);
    const wss = this.wss;
    this.wss = undefined;
    if (!wss || !this.disposable) return;
    const clients = [...wss.clients];
    const cutOff = setTimeout(() => clients.forEach((client) => client.terminate()), GOODBYE_MS);
    await this.disposable.dispose();
    clearTimeout(cutOff);
  }

  private options(): ServerOptions<Record<string, unknown>, Extra> {
    const introspection = !this.config.production;
    const connectionOf = (ctx: Context<Record<string, unknown>, Extra>): SubscriberConnection => {
      const connection = this.connections.get(ctx.extra.request);
      if (!connection) throw new Error('A WebSocket connection was not admitted by the upgrade handler');
      return connection;
    };
    const lose = (ctx: Context<Record<string, unknown>, Extra>, loss: ConnectionLoss) => {
      ctx.extra.socket.close(loss.closeCode, loss.reason);
      return { message: loss.reason, extensions: { code: loss.code } };
    };
    // onSubscribe always returns either errors or the whole execution arguments (schema included).
    return {
      subscribe: subscribeScoped,
      onSubscribe: async (ctx, _id, payload: SubscribePayload) => {
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            requestError(
              `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions are served per connection; end one first`,
              'TOO_MANY_SUBSCRIPTIONS',
            ),
          ];
        }
        const checked = checkOperation(this.schemaHost.schema, payload, { introspection });
        if (Array.isArray(checked)) return checked;
        const connection = connectionOf(ctx);
        const loss = await this.lossOf(connection);
        if (loss) {
          lose(ctx, loss);
          return [requestError(loss.reason, loss.code)];
        }
        const contextValue: GraphQLRequestContext = { ctx: connection.context() };
        return { schema: this.schemaHost.schema, ...checked, contextValue };
      },
      onNext: async (ctx, _id, _payload, _args, result) => {
        // Checked at each event: nothing is pushed once the session has ended or the commune is gone.
        const loss = await this.lossOf(connectionOf(ctx));
        if (loss) return { errors: [lose(ctx, loss)] };
        if (!result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map((e) => formatSubscriptionError(e as GraphQLError)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(formatSubscriptionError),
    };
  }

  private async lossOf(connection: SubscriberConnection): Promise<ConnectionLoss | undefined> {
    try {
      return await connection.loss();
    } catch (error) {
      this.logger.error(`A subscriber's session could not be checked: ${String(error)}`);
      return { closeCode: 4500, code: 'INTERNAL_SERVER_ERROR', reason: 'The session could not be checked' };
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // A client that resets the connection while it is being checked must not take the process down.
    const dropped = (): void => void socket.destroy();
    socket.on('error', dropped);
    let refusal: UpgradeRefusal | undefined;
    try {
      refusal = await this.admit(req as Request);
    } catch (error) {
      this.logger.error(`A WebSocket upgrade could not be checked: ${String(error)}`);
      refusal = { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Subscriptions are unavailable; try again' };
    }
    socket.off('error', dropped);
    const wss = this.wss;
    if (refusal || !wss) {
      refuseUpgrade(socket, refusal ?? { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Shutting down' });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  }

  /** The checks of the host middleware and of cross-site requests; on success, the session is loaded. */
  private async admit(req: Request): Promise<UpgradeRefusal | undefined> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== SUBSCRIPTIONS_PATH) {
      return { status: 404, code: 'NOT_FOUND', message: `Subscriptions are served at ${SUBSCRIPTIONS_PATH}` };
    }
    const resolution = this.directory.resolve(req.headers.host);
    const refusal = hostRefusal(resolution);
    if (refusal || resolution.kind === 'unknown') return refusal;
    if (!isSameOrigin(req.headers.origin, req.headers.host, this.config.publicScheme)) {
      return {
        status: 403,
        code: 'FORBIDDEN',
        message: 'WebSocket connections from pages of another site are refused',
      };
    }
    req.gemengHost = resolution;
    await new Promise<void>((resolve, reject) =>
      this.sessions.handle(req, new ServerResponse(req) as unknown as Response, (error?: unknown) =>
        error ? reject(error as Error) : resolve(),
      ),
    );
    this.connections.set(req, new SubscriberConnection(req, this.directory, this.config));
    return undefined;
  }
}
