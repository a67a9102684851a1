import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { GemengConfig } from '@gemeng/core';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { sessionMiddleware } from './session';

/** express-session on the platform's pool, built once. */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;

  constructor(dataSource: DataSource, @Inject(GEMENG_CONFIG) config: GemengConfig) {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.handler = sessionMiddleware(config, pool);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.handler(req, res, next);
  }
}
