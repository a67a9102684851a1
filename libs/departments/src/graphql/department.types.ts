import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { type Locale, textIn } from '@gemeng/core';
import { LocalizedTextInput, LocalizedTextType } from '@gemeng/communes';
import type { DepartmentEntity } from '../entities/department.entity';

@ObjectType('Department')
export class DepartmentType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field({ description: "The name in the caller's language, else the commune's default language." }) name!: string;
  @Field(() => LocalizedTextType, { description: 'The name in each language the commune has it in.' })
  names!: LocalizedTextType;
  @Field({ nullable: true }) email?: string;
  @Field(() => Int, { description: "Place in the commune's list of departments." }) position!: number;
}

/** A department for GraphQL, named in the caller's language, else in the commune's default language. */
export function toDepartmentType(
  department: DepartmentEntity,
  locale: Locale | undefined,
  defaultLocale: Locale,
): DepartmentType {
  return {
    id: department.id,
    code: department.code,
    name: textIn(department.names, locale, defaultLocale),
    names: department.names,
    email: department.email ?? undefined,
    position: department.position,
  };
}

const emailMessage = 'email must be an e-mail address, got "$value"';

@InputType('DepartmentInput')
export class DepartmentInput {
  @Field({ description: 'Stable identifier within the commune: lowercase letters, digits and hyphens.' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @Field(() => LocalizedTextInput, { description: "In the commune's languages, at least its default one." })
  @ValidateNested()
  @Type(() => LocalizedTextInput)
  names!: LocalizedTextInput;

  @Field({ nullable: true }) @IsOptional() @IsEmail({}, { message: emailMessage }) email?: string;
}

@InputType('DepartmentUpdateInput', { description: 'What to change; what is left out stays as it is.' })
export class DepartmentUpdateInput {
  @Field(() => LocalizedTextInput, { nullable: true, description: 'Replaces every name.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedTextInput)
  names?: LocalizedTextInput;

  @Field(() => String, { nullable: true, description: 'null removes the address.' })
  @IsOptional()
  @IsEmail({}, { message: emailMessage })
  email?: string | null;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(10_000) position?: number;
}
