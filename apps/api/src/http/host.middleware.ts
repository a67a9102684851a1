import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CommuneDirectory, type HostResolution } from '@gemeng/communes';
import { hostRefusal, type UpgradeRefusal } from './host-refusal';
import { messagePage } from './html';

declare module 'express-serve-static-core' {
  interface Request {
    /** Which commune (or the operator) the Host header addresses; set before any route runs. */
    gemengHost?: Exclude<HostResolution, { kind: 'unknown' }>;
  }
}

function refuse(req: Request, res: Response, status: number, code: UpgradeRefusal['code'], message: string): void {
  if (req.originalUrl.startsWith('/graphql')) {
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
    return;
  }
  res
    .status(status)
    .type('html')
    .send(messagePage(message, [`Error code: ${code}`]));
}

/**
 * Resolves the commune from the Host header, and only from there: a commune named in another header or
 * in the body is never trusted. Unknown hosts get 404, communes that are not active 503, each with a code.
 */
@Injectable()
export class HostMiddleware implements NestMiddleware {
  constructor(@Inject(CommuneDirectory) private readonly directory: CommuneDirectory) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const resolution = this.directory.resolve(req.headers.host);
    const refusal = hostRefusal(resolution);
    if (refusal) {
      for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
      refuse(req, res, refusal.status, refusal.code, refusal.message);
      return;
    }
    // hostRefusal refuses every unknown host: what is left is a commune or the operator.
    req.gemengHost = resolution as Exclude<HostResolution, { kind: 'unknown' }>;
    next();
  }
}
