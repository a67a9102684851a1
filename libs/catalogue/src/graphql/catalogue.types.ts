import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { LocalizedTextInput, LocalizedTextType } from '@gemeng/communes';
import {
  DossierStageInput,
  DossierStageType,
  LocalizedDescriptionInput,
  RequestedDocumentInput,
  RequestedDocumentType,
} from './procedure.types';

@ObjectType('ServiceType', { description: 'A service of the shared catalogue, which communes choose to offer.' })
export class ServiceTypeType {
  @Field() code!: string;
  @Field({ description: "In the caller's language." }) name!: string;
  @Field({ description: "In the caller's language." }) description!: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field(() => LocalizedTextType) descriptions!: LocalizedTextType;
  @Field(() => [String], { description: 'Codes of the life events it belongs to; none for general services.' })
  lifeEvents!: string[];
  @Field(() => Int, { description: 'Default service norm: working days from submission to the expected answer.' })
  normDays!: number;
  @Field(() => [DossierStageType], { description: 'Default stages, in order.' }) stages!: DossierStageType[];
  @Field(() => [RequestedDocumentType], { description: 'Documents asked for by default.' })
  documents!: RequestedDocumentType[];
  @Field({ nullable: true, description: 'Set once retired: communes can no longer enable it.' }) retiredAt?: Date;
}

@ObjectType('LifeEvent', { description: 'A moment in life that brings citizens to the commune.' })
export class LifeEventType {
  @Field() code!: string;
  @Field({ description: "In the caller's language." }) name!: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field(() => [ServiceTypeType], { description: 'The current services of the catalogue for this life event.' })
  serviceTypes!: ServiceTypeType[];
}

@InputType('ServiceTypeInput', { description: 'A service type of the catalogue, every text in lb, fr, de and en.' })
export class ServiceTypeInput {
  @Field({ description: 'Stable identifier, e.g. "parking-permit"; an existing code replaces that service type.' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @Field(() => LocalizedTextInput) @ValidateNested() @Type(() => LocalizedTextInput) names!: LocalizedTextInput;

  @Field(() => LocalizedDescriptionInput)
  @ValidateNested()
  @Type(() => LocalizedDescriptionInput)
  descriptions!: LocalizedDescriptionInput;

  @Field(() => [String], { defaultValue: [], description: 'Codes of the life events it belongs to.' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  lifeEvents!: string[];

  @Field(() => Int, { description: 'Default service norm in working days, 1 to 250.' }) @IsInt() normDays!: number;

  @Field(() => [DossierStageInput])
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DossierStageInput)
  stages!: DossierStageInput[];

  @Field(() => [RequestedDocumentInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RequestedDocumentInput)
  documents!: RequestedDocumentInput[];

  @Field(() => Int, { nullable: true, description: 'Place in lists; a new service type goes last by default.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;
}
