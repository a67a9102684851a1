import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Department')
export class DepartmentType {
  @Field(() => ID) id!: string;
  @Field() code!: string;
  @Field({ description: "The name in the caller's language, else the commune's default language." }) name!: string;
  @Field({ nullable: true }) email?: string;
}
