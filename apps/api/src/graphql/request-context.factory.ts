import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { RequestContext } from '@gemeng/core';
import type { TenantTransactions } from '@gemeng/database';
import { negotiateLocale } from '../http/locale';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request is on the operator host and carries the operator token. */
function isOperator(req: Request, operatorToken: string | undefined): boolean {
  if (req.gemengHost?.kind !== 'operator' || !operatorToken) return false;
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && sameSecret(header.slice('Bearer '.length), operatorToken);
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
  operatorToken: string | undefined,
): RequestContext {
  const host = req.gemengHost;
  const commune = host?.kind === 'commune' ? host.commune : undefined;
  const ctx = new RequestContext({
    commune,
    locale: commune ? negotiateLocale(req.headers['accept-language'], commune) : undefined,
    requestLong: true,
    operator: isOperator(req, operatorToken),
  });
  res.once('close', () => void transactions.finish(ctx, 'ROLLBACK'));
  return ctx;
}
