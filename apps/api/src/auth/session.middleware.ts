import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { GemengConfig } from '@gemeng/core';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { sessionMiddleware } from './session';

/**
 * express-session on the platform's pool, built once per application: HTTP requests and WebSocket
 * upgrades share one store (and its one prune timer).
 */
@Injectable()
export class SessionHandler {
  readonly handle: RequestHandler;

  constructor(dataSource: DataSource, @Inject(GEMENG_CONFIG) config: GemengConfig) {
    this.handle = sessionMiddleware(config, (dataSource.driver as unknown as { master: Pool }).master);
  }
}

@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(private readonly session: SessionHandler) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.session.handle(req, res, next);
  }
}
