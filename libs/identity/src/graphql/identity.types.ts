import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEmail, IsEnum, IsOptional, IsString } from 'class-validator';
import type { StaffMemberEntity } from '../entities/staff-member.entity';

export enum StaffRoleValue {
  admin = 'admin',
  agent = 'agent',
}
registerEnumType(StaffRoleValue, { name: 'StaffRole' });

@ObjectType('Me', { description: 'The logged-in person, as this commune knows them.' })
export class MeType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() email!: string;
  @Field({ nullable: true, description: 'Preferred language, else the language of this request.' }) locale?: string;
  @Field(() => [String], { description: 'citizen, and agent or admin for staff of this commune.' }) roles!: string[];
  @Field(() => [String], { description: 'Departments the person works in, for agents.' }) departments!: string[];
}

@ObjectType('StaffMember')
export class StaffMemberType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => StaffRoleValue) role!: StaffRoleValue;
  @Field(() => [String]) departments!: string[];
  @Field({ nullable: true }) invitedBy?: string;
  @Field() invitedAt!: Date;
  @Field({ nullable: true, description: 'When they first logged in as staff; null while the invitation is pending.' })
  joinedAt?: Date;
}

@InputType('StaffInvitationInput')
export class StaffInvitationInput {
  @Field() @IsEmail({}, { message: 'email must be an e-mail address, got "$value"' }) email!: string;
  @Field(() => StaffRoleValue) @IsEnum(StaffRoleValue) role!: StaffRoleValue;
  @Field(() => [String], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  departments!: string[];
}

@InputType('StaffChangeInput')
export class StaffChangeInput {
  @Field(() => StaffRoleValue, { nullable: true }) @IsOptional() @IsEnum(StaffRoleValue) role?: StaffRoleValue;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  departments?: string[];
}

/** The GraphQL view of a staff member. */
export function toStaffMemberType(member: StaffMemberEntity): StaffMemberType {
  return {
    id: member.id,
    email: member.email,
    role: member.role as StaffRoleValue,
    departments: member.departmentCodes,
    invitedBy: member.invitedBy ?? undefined,
    invitedAt: member.invitedAt,
    joinedAt: member.joinedAt ?? undefined,
  };
}
