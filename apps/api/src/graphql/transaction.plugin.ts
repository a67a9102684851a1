import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLRequestContext } from '@gemeng/core';
import type { TenantTransactions } from '@gemeng/database';

/** Apollo's plugin type as @nestjs/apollo declares it (its own resolution of @apollo/server's types). */
export type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * Finishes the request's tenant transaction before the response leaves: commit, unless a mutation
 * reported an error (then nothing of it is kept). A failed commit turns the response into an error,
 * so a client never sees a result that was not stored.
 */
export function transactionPlugin(transactions: TenantTransactions): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation }) {
          const { ctx } = contextValue as GraphQLRequestContext;
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          const failedMutation = operation?.operation === 'mutation' && Boolean(errors?.length);
          try {
            await transactions.finish(ctx, failedMutation ? 'ROLLBACK' : 'COMMIT');
          } catch {
            response.http.status = 500;
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [{ message: 'The change could not be saved', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
              },
            };
          }
        },
      };
    },
  };
}
