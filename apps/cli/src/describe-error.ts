import { GemengError, InvalidInputError } from '@gemeng/core';

/** An error as lines for the terminal: the message, then each problem of an input on its own line. */
export function describeError(error: unknown): string[] {
  if (error instanceof InvalidInputError) {
    return [error.message.split(': ')[0], ...error.problems.map((p) => `  ${p.path}: ${p.message}`)];
  }
  if (error instanceof GemengError) return [error.message];
  return [`Failed: ${error instanceof Error ? error.message : String(error)}`];
}
