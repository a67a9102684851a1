import type { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { GemengError } from '@gemeng/core';

/** What a plain HTTP route answers instead of its content, as `{ error: { code, message } }`. */
export interface JsonRefusal {
  status: number;
  code: string;
  message: string;
}

const STATUS: Partial<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/**
 * The refusal for an error: the platform's own errors keep their code and message; anything else is
 * logged and answered as an internal error with `fallback`, never with its details.
 */
export function refusalFor(error: unknown, logger: Logger, fallback: string): JsonRefusal {
  if (error instanceof GemengError && STATUS[error.code]) {
    return { status: STATUS[error.code] ?? 500, code: error.code, message: error.message };
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: fallback };
}

/** Sends a refusal, unless the response has begun already (a failure while streaming). */
export function sendRefusal(res: Response, refusal: JsonRefusal): void {
  if (res.headersSent) return;
  res.status(refusal.status).set('Cache-Control', 'private, no-store');
  res.json({ error: { code: refusal.code, message: refusal.message } });
}
