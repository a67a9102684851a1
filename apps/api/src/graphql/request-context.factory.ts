import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { RequestContext, type GemengConfig, type SessionUser } from '@gemeng/core';
import { hostKey } from '../auth/auth.controller';
import type { TenantTransactions } from '@gemeng/database';
import { negotiateLocale } from '../http/locale';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session's user, only if the session was created on this very host's commune (or operator). */
function sessionUser(req: Request): SessionUser | undefined {
  const session = req.session;
  if (!session?.user || !session.boundTo || session.boundTo !== hostKey(req)) return undefined;
  const { subject, email, name, locale } = session.user;
  return { subject, email, name, ...(locale ? { locale } : {}) };
}

/**
 * True on the operator host for the operator token (automation) or a session of an operator account.
 */
function isOperator(req: Request, config: GemengConfig, user: SessionUser | undefined): boolean {
  if (req.gemengHost?.kind !== 'operator') return false;
  if (user && config.operatorEmails.includes(user.email)) return true;
  if (!config.operatorToken) return false;
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && sameSecret(header.slice('Bearer '.length), config.operatorToken);
}

/**
 * The request context of a plain HTTP route (an upload, a download, a page): each service call commits
 * on its own, as there is no GraphQL response to finish a request-long transaction.
 */
export function httpRequestContext(req: Request, config: GemengConfig, requestLong = false): RequestContext {
  const host = req.gemengHost;
  const commune = host?.kind === 'commune' ? host.commune : undefined;
  const user = sessionUser(req);
  return new RequestContext({
    commune,
    locale: commune ? negotiateLocale(req.headers['accept-language'], commune) : undefined,
    requestLong,
    operator: isOperator(req, config, user),
    user,
    // A WebSocket upgrade request is a bare Node request, without Express's `ip`; it is the same address.
    origin: { address: req.ip ?? req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
  });
}

/**
 * Builds the request context once per GraphQL request, from what the host middleware resolved. The
 * transaction it may open is finished by the transaction plugin; if the client goes away first, the
 * close handler rolls it back so that its connection returns to the pool.
 */
export function createRequestContext(
  req: Request,
  res: Response,
  transactions: TenantTransactions,
  config: GemengConfig,
): RequestContext {
  const ctx = httpRequestContext(req, config, true);
  res.once('close', () => void transactions.finish(ctx, 'ROLLBACK'));
  return ctx;
}
