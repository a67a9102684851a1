import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, type GraphQLRequestContext, type RequestContext } from '@gemeng/core';
import { IdentityService } from '../services/identity.service';
import { MeType, StaffChangeInput, StaffInvitationInput, StaffMemberType, toStaffMemberType } from './identity.types';

@Resolver()
export class IdentityResolver {
  constructor(private readonly identity: IdentityService) {}

  @Query(() => MeType, { description: 'Who is logged in on this commune.' })
  @Allow('citizen')
  async me(@Ctx() ctx: RequestContext): Promise<MeType> {
    const { citizen, staff } = await this.identity.me(ctx);
    return {
      id: citizen.id,
      name: citizen.name,
      email: citizen.email,
      locale: citizen.locale ?? ctx.locale,
      roles: await this.identity.rolesOf(ctx),
      departments: staff?.departmentCodes ?? [],
    };
  }

  @Query(() => String, {
    description: 'Everything this commune holds about you, as a JSON document (your right of access).',
  })
  @Allow('citizen')
  async myData(@Ctx() ctx: RequestContext): Promise<string> {
    return JSON.stringify(await this.identity.exportMyData(ctx), null, 2);
  }

  @Mutation(() => Boolean, { description: 'Deletes your profile on this commune (your right to erasure).' })
  @Allow('citizen')
  async deleteMyProfile(@Ctx() ctx: RequestContext, @Context() graphql: GraphQLRequestContext): Promise<boolean> {
    await this.identity.deleteMyProfile(ctx);
    // The session names a profile that is gone: it ends with it.
    await graphql.endSession?.();
    return true;
  }

  @Query(() => [StaffMemberType], { description: "The commune's staff and pending invitations." })
  @Allow('admin')
  async staff(@Ctx() ctx: RequestContext): Promise<StaffMemberType[]> {
    return (await this.identity.listStaff(ctx)).map(toStaffMemberType);
  }

  @Mutation(() => StaffMemberType, { description: 'Invites someone to the staff by e-mail address.' })
  @Allow('admin')
  async inviteStaff(
    @Ctx() ctx: RequestContext,
    @Args('invitation') invitation: StaffInvitationInput,
  ): Promise<StaffMemberType> {
    return toStaffMemberType(
      await this.identity.invite(ctx, invitation.email, invitation.role, invitation.departments),
    );
  }

  @Mutation(() => StaffMemberType)
  @Allow('admin')
  async changeStaff(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('change') change: StaffChangeInput,
  ): Promise<StaffMemberType> {
    return toStaffMemberType(
      await this.identity.changeStaff(ctx, id, { role: change.role, departmentCodes: change.departments }),
    );
  }

  @Mutation(() => StaffMemberType, { description: 'Removes someone from the staff; the last administrator stays.' })
  @Allow('admin')
  async revokeStaff(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<StaffMemberType> {
    return toStaffMemberType(await this.identity.revokeStaff(ctx, id));
  }
}
