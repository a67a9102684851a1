import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AUDIENCE_KEY, GemengError, type Audience, type GraphQLRequestContext, type Role } from '@gemeng/core';
import { IdentityService } from '@gemeng/identity';

/**
 * Default deny: a GraphQL field that does not say who may call it is refused. HTTP routes are not
 * concerned (health probes and the public portal pages).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    if (execution.getType<string>() !== 'graphql') return true;
    const audiences = this.reflector.getAllAndOverride<Audience[] | undefined>(AUDIENCE_KEY, [
      execution.getHandler(),
      execution.getClass(),
    ]);
    const { ctx } = GqlExecutionContext.create(execution).getContext<GraphQLRequestContext>();
    if (!audiences?.length) throw new GemengError('FORBIDDEN', 'This field is not open to anyone');
    if (audiences.includes('commune-public') && ctx.commune) return true;
    const communeRoles = audiences.filter((a): a is Role => a === 'citizen' || a === 'agent' || a === 'admin');
    if (communeRoles.length && ctx.commune) {
      if (!ctx.user) throw new GemengError('UNAUTHENTICATED', 'Log in on this commune to use this field');
      // Anyone logged in here is a citizen of this commune: no need to look up their staff roles.
      if (communeRoles.includes('citizen')) return true;
      const roles = await this.identity.rolesOf(ctx);
      if (communeRoles.some((r) => roles.includes(r))) return true;
      throw new GemengError('FORBIDDEN', 'Your role in this commune does not allow this');
    }
    if (audiences.includes('operator')) {
      if (ctx.operator) return true;
      if (!ctx.commune) throw new GemengError('UNAUTHENTICATED', 'The operator API needs the operator token');
    }
    throw new GemengError(
      'FORBIDDEN',
      audiences.includes('operator')
        ? 'This field is only available on the operator host'
        : 'This field is only available on a commune host',
    );
  }
}
