import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { type Locale, textIn } from '@gemeng/core';
import { LocalizedTextInput, LocalizedTextType } from '@gemeng/communes';
import type { ProcedureDocument, ProcedureStage } from '../rules/procedure-rules';

// The stages and documents of a procedure are the same in the catalogue's defaults and in a commune's
// dossier types; so are their GraphQL types.

@ObjectType('DossierStage', { description: 'One stage of the procedure a dossier goes through, in order.' })
export class DossierStageType {
  @Field({ description: 'Stable within the procedure, e.g. "in-review".' }) code!: string;
  @Field({ description: "In the caller's language, else the commune's default language." }) name!: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field({ description: 'The citizen gets an e-mail when their dossier reaches this stage.' })
  notifiesCitizen!: boolean;
  @Field({ description: 'The closing stage (always the last): reaching it needs a result and a message.' })
  final!: boolean;
}

@ObjectType('RequestedDocument', { description: 'A document the procedure asks the citizen for.' })
export class RequestedDocumentType {
  @Field() code!: string;
  @Field({ description: "In the caller's language, else the commune's default language." }) name!: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field({ description: 'A submission without it is refused.' }) required!: boolean;
}

@InputType('LocalizedDescriptionInput', { description: 'A longer text in each of the platform languages.' })
export class LocalizedDescriptionInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) lb?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) fr?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) de?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) en?: string;
}

@InputType('DossierStageInput')
export class DossierStageInput implements ProcedureStage {
  @Field({ description: 'Lowercase letters, digits and hyphens, unique within the procedure.' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @Field(() => LocalizedTextInput) @ValidateNested() @Type(() => LocalizedTextInput) names!: LocalizedTextInput;

  @Field({ defaultValue: false }) @IsBoolean() notifiesCitizen!: boolean;

  @Field({ defaultValue: false, description: 'Exactly one stage is final, and it is the last one.' })
  @IsBoolean()
  final!: boolean;
}

@InputType('RequestedDocumentInput')
export class RequestedDocumentInput implements ProcedureDocument {
  @Field({ description: 'Lowercase letters, digits and hyphens, unique within the procedure.' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @Field(() => LocalizedTextInput) @ValidateNested() @Type(() => LocalizedTextInput) names!: LocalizedTextInput;

  @Field({ defaultValue: true }) @IsBoolean() required!: boolean;
}

/** A stage for GraphQL, named in `locale`, else in `fallback`. */
export function toStageType(stage: ProcedureStage, locale: Locale | undefined, fallback: Locale): DossierStageType {
  return {
    code: stage.code,
    name: textIn(stage.names, locale, fallback),
    names: stage.names,
    notifiesCitizen: stage.notifiesCitizen,
    final: stage.final,
  };
}

/** A requested document for GraphQL, named in `locale`, else in `fallback`. */
export function toDocumentType(
  document: ProcedureDocument,
  locale: Locale | undefined,
  fallback: Locale,
): RequestedDocumentType {
  return {
    code: document.code,
    name: textIn(document.names, locale, fallback),
    names: document.names,
    required: document.required,
  };
}
