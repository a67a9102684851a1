import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { RequestContext } from '../request-context';

/**
 * Who may call a resolver. Every resolver says it explicitly; one that says nothing is refused.
 * - `commune-public`: anyone, on a commune's host;
 * - `citizen`: anyone logged in on this commune's host (staff included);
 * - `agent`: staff of this commune (agents and administrators);
 * - `admin`: administrators of this commune;
 * - `operator`: the operator, on the operator host.
 */
export type Audience = 'commune-public' | 'citizen' | 'agent' | 'admin' | 'operator';

export const AUDIENCE_KEY = 'gemeng:audience';

export const Allow = (...audiences: Audience[]) => SetMetadata(AUDIENCE_KEY, audiences);

/** The shape of the GraphQL context the API builds for each request. */
export interface GraphQLRequestContext {
  ctx: RequestContext;
  /** Ends the caller's login session on this host (the HTTP edge provides it). */
  endSession?: () => Promise<void>;
}

/** Injects the request context into a resolver method. */
export const Ctx = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): RequestContext =>
    GqlExecutionContext.create(execution).getContext<GraphQLRequestContext>().ctx,
);
