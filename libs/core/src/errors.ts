/**
 * Errors the platform raises on purpose. Each carries a stable code that the GraphQL and HTTP edges
 * map once (see apps/api) to an error code and status; anything else is reported as an internal error
 * without details.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'COMMUNE_NOT_FOUND'
  | 'COMMUNE_SUSPENDED'
  | 'COMMUNE_UNAVAILABLE';

export class GemengError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe to show to the caller: which input was wrong, which problems were found. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem in a piece of input, addressed by its path (e.g. `theme.primaryColor`). */
export interface InputProblem {
  path: string;
  message: string;
}

export class InvalidInputError extends GemengError {
  constructor(
    message: string,
    readonly problems: InputProblem[] = [],
  ) {
    super(
      'BAD_USER_INPUT',
      problems.length ? `${message}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` : message,
      {
        problems,
      },
    );
  }
}

export class NotFoundError extends GemengError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends GemengError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, details);
  }
}
