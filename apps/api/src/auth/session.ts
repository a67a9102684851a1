import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Pool } from 'pg';
import type { GemengConfig, SessionUser } from '@gemeng/core';

declare module 'express-session' {
  interface SessionData {
    user?: SessionUser & { idToken: string };
    /** The commune id, or `operator`, of the host the session was created on; any other host ignores it. */
    boundTo?: string;
    returnTo?: string;
  }
}

/**
 * Sessions in `platform.session`, through the platform's one pool. The cookie has no Domain attribute,
 * so a browser sends it only to the host that set it; a cookie replayed on another commune's host is
 * still ignored there, because the session names the commune it was created on.
 */
export function sessionMiddleware(config: GemengConfig, pool: Pool): RequestHandler {
  const PgStore = connectPgSimple(session);
  return session({
    name: 'gemeng.sid',
    secret: config.sessionSecret,
    store: new PgStore({ pool, schemaName: 'platform', tableName: 'session', pruneSessionInterval: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.publicScheme === 'https',
      // Eight hours, renewed by activity: a working day, not a forgotten public terminal's week.
      maxAge: 8 * 60 * 60 * 1000,
    },
    unset: 'destroy',
  });
}
