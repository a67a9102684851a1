import { Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GemengError, InvalidInputError } from '@gemeng/core';

const logger = new Logger('GraphQL');

/** Codes Apollo itself assigns to requests it rejects before any resolver; they are safe to pass on. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
]);

/**
 * Maps errors to stable codes once, for every resolver: the platform's own errors keep their message and
 * code, Apollo's request errors pass through, and anything else becomes an internal error whose details
 * go to the log, never to the caller (no stack, no SQL).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof GemengError) {
    const extensions: Record<string, unknown> = { code: original.code };
    if (original instanceof InvalidInputError) extensions.problems = original.problems;
    else if (original.details) Object.assign(extensions, original.details);
    return { ...base, message: original.message, extensions };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && APOLLO_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
