import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CommuneDirectory, type HostResolution } from '@gemeng/communes';
import type { ErrorCode } from '@gemeng/core';
import { messagePage } from './html';

declare module 'express-serve-static-core' {
  interface Request {
    /** Which commune (or the operator) the Host header addresses; set before any route runs. */
    gemengHost?: Exclude<HostResolution, { kind: 'unknown' }>;
  }
}

function refuse(req: Request, res: Response, status: number, code: ErrorCode, message: string): void {
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
    if (resolution.kind === 'unknown') {
      refuse(req, res, 404, 'COMMUNE_NOT_FOUND', `No commune answers at ${resolution.host || 'this address'}`);
      return;
    }
    if (resolution.kind === 'commune' && resolution.commune.status !== 'active') {
      const suspended = resolution.commune.status === 'suspended';
      res.setHeader('Retry-After', suspended ? '3600' : '60');
      refuse(
        req,
        res,
        503,
        suspended ? 'COMMUNE_SUSPENDED' : 'COMMUNE_UNAVAILABLE',
        suspended
          ? `The portal of ${resolution.commune.slug} is suspended`
          : `The portal of ${resolution.commune.slug} is being set up`,
      );
      return;
    }
    req.gemengHost = resolution;
    next();
  }
}
