import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { ApolloPlugin } from './transaction.plugin';

/** Deep enough for every screen of the portal; a query deeper than this is an attack or a mistake. */
export const MAX_QUERY_DEPTH = 10;
/** About a thousand fields: generous for a page, far below what would tie up the database. */
export const MAX_QUERY_COMPLEXITY = 1000;

function depthOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection is turned off in production; in development its own depth must not count.
      if (selection.name.value.startsWith('__')) continue;
      const below = selection.selectionSet ? depthOf(selection.selectionSet, fragments, visiting) : 0;
      deepest = Math.max(deepest, 1 + below);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A cyclic spread is reported by GraphQL's own NoFragmentCycles rule.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
}

/** Rejects, before any resolver runs, an operation nested deeper than `max` fields. */
export function depthLimitRule(max: number): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, fragments, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`The query is ${depth} levels deep; at most ${max} are allowed`, { nodes: [node] }),
          );
        }
      },
    };
  };
}

/** The error for an operation that asks for more than `max` fields in all, given its variables. */
export function complexityError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  max: number,
): GraphQLError | undefined {
  const complexity = getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables: variables ?? {},
    estimators: [simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity <= max) return undefined;
  return new GraphQLError(`The query asks for ${complexity} fields; at most ${max} are allowed`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
  });
}

/**
 * Rejects, before any resolver runs, an operation that asks for more than `max` fields in all. A plugin
 * rather than a validation rule, because the count depends on the request's variables.
 */
export function complexityLimitPlugin(max: number): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const error = complexityError(schema, document, request.operationName, request.variables, max);
          if (error) throw error;
        },
      };
    },
  };
}
