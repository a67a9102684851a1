import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import {
  BillingDetailsInput,
  ContactInput,
  LocalesInput,
  LocalizedTextInput,
  PopulationRecordInput,
  ThemeInput,
} from '../definition/commune-definition.input';

/** A partial change to a commune; what is left out stays as it is. The result is validated whole. */
@InputType('CommuneUpdateInput')
export class CommuneUpdateInput {
  @Field(() => LocalizedTextInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedTextInput)
  names?: LocalizedTextInput;

  @Field(() => LocalesInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalesInput)
  locales?: LocalesInput;

  @Field(() => ThemeInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ThemeInput)
  theme?: ThemeInput;

  @Field(() => ContactInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactInput)
  contact?: ContactInput;

  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() customDomains?: string[];

  @Field({ nullable: true, description: 'EUR per inhabitant per year, e.g. "19.50".' })
  @IsOptional()
  @IsString()
  pricePerInhabitant?: string;

  @Field(() => BillingDetailsInput, { nullable: true, description: 'Merged into the billing details, field by field.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingDetailsInput)
  billing?: BillingDetailsInput;
}

@InputType('SuspensionInput')
export class SuspensionInput {
  @Field() @IsString() @MaxLength(500) reason!: string;
}

export { PopulationRecordInput };
