import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { LiveEventsOverflowError, LiveScope } from '@gemeng/live';
import { formatGraphQLError } from './error-format';
import { complexityError, depthLimitRule, MAX_QUERY_COMPLEXITY, MAX_QUERY_DEPTH } from './query-limits';
import type { ApolloPlugin } from './transaction.plugin';

/** What a graphql-ws `subscribe` message carries. */
export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** An operation that passed every check, ready to be subscribed. */
export interface CheckedOperation {
  document: DocumentNode;
  operationName: string | undefined;
  variableValues: Record<string, unknown> | undefined;
}

/** An error about the request itself, with its code. */
export function requestError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/**
 * The checks Apollo makes on an HTTP request, for an operation sent over WebSocket, where Apollo's
 * validation rules and plugins do not run: parse, validate with the depth limit (and without
 * introspection where it is off), count fields. Only subscriptions are taken: queries and mutations
 * belong on HTTP, where a request's changes commit or roll back together.
 */
export function checkOperation(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  options: { introspection: boolean },
): CheckedOperation | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    return [requestError(error instanceof Error ? error.message : String(error), 'GRAPHQL_PARSE_FAILED')];
  }
  const rules = [
    ...specifiedRules,
    depthLimitRule(MAX_QUERY_DEPTH),
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const invalid = validate(schema, document, rules);
  if (invalid.length) return invalid.map((e) => requestError(e.message, 'GRAPHQL_VALIDATION_FAILED'));
  const operationName = payload.operationName ?? undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return [requestError('The operation to run could not be determined', 'OPERATION_RESOLUTION_FAILURE')];
  }
  if (operation.operation !== 'subscription') {
    return [
      requestError(
        `Only subscriptions are served over WebSocket; send a ${operation.operation} to POST /graphql`,
        'BAD_REQUEST',
      ),
    ];
  }
  const variableValues = payload.variables ?? undefined;
  const tooComplex = complexityError(schema, document, operationName, variableValues, MAX_QUERY_COMPLEXITY);
  if (tooComplex) return [requestError(tooComplex.message, 'QUERY_TOO_COMPLEX')];
  return { document, operationName, variableValues };
}

/**
 * Refuses a subscription sent over HTTP. GraphQL would run the subscription field's `resolve` once,
 * with no event, and the access guard guards only `subscribe`: nothing must reach that resolver so.
 */
export function subscriptionsOverHttpPlugin(): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        },
      };
    },
  };
}

/**
 * Errors as the HTTP edge formats them. Errors about the request itself (parse, validation, variables,
 * limits) carry no resolver's error and keep their message, with a code; a subscriber that fell behind
 * is told so; anything else goes through the one GraphQL error formatter.
 */
export function formatSubscriptionError(error: GraphQLError): GraphQLFormattedError {
  if (error.originalError instanceof LiveEventsOverflowError) {
    return { message: error.originalError.message, extensions: { code: 'SUBSCRIPTION_OVERFLOW' } };
  }
  if (!error.originalError && !error.path) {
    const code = typeof error.extensions.code === 'string' ? error.extensions.code : 'BAD_USER_INPUT';
    return { message: error.message, locations: error.locations, extensions: { code } };
  }
  return formatGraphQLError(error.toJSON(), error);
}

/**
 * GraphQL's `subscribe`, with the live subscriptions it opens tied to the operation: when the client
 * ends the operation, or the connection closes, they end at once (see LiveScope), whatever the
 * resolver wrapped them in.
 */
export async function subscribeScoped(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const scope = new LiveScope();
  const result = await scope.run(() => subscribe(args));
  if (!(Symbol.asyncIterator in result)) {
    scope.close();
    return result;
  }
  const events = result;
  const finished = <T>(outcome: Promise<T>): Promise<T> =>
    outcome.then(
      (value) => value,
      (error: unknown) => {
        scope.close();
        throw error;
      },
    );
  const scoped: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      const next = await finished(scope.run(() => events.next()));
      if (next.done) scope.close();
      return next;
    },
    return: async () => {
      // First end the live subscriptions, which lets a resolver waiting for its next event finish.
      scope.close();
      await events.return?.(undefined);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return scoped;
    },
  };
  return scoped;
}
