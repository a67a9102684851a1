import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { type Locale, textIn } from '@gemeng/core';
import { DossierStageType, RequestedDocumentType, toDocumentType, toStageType } from '@gemeng/catalogue';
import { LocalizedTextType } from '@gemeng/communes';
import { DepartmentType, toDepartmentType, type DepartmentEntity } from '@gemeng/departments';
import type { DossierTypeEntity } from '../entities/dossier-type.entity';

@ObjectType('DossierType', {
  description: 'A service of the catalogue as the commune offers it: who handles it, its stages and service norm.',
})
export class DossierTypeType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The code of the service type in the shared catalogue, e.g. "interview".' }) code!: string;
  @Field({ description: "In the caller's language, else the commune's default language." }) name!: string;
  @Field({ description: "In the caller's language, else the commune's default language." }) description!: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field(() => LocalizedTextType) descriptions!: LocalizedTextType;
  @Field(() => DepartmentType, { description: 'The department that handles new dossiers of this type.' })
  department!: DepartmentType;
  @Field(() => Int, { description: 'Service norm: working days from submission to the expected answer.' })
  normDays!: number;
  @Field({ description: 'False while the commune takes no new submissions; submitted dossiers go on.' })
  enabled!: boolean;
  @Field(() => Int, { description: "Place in the commune's list." }) position!: number;
  @Field(() => [DossierStageType], { description: 'The stages, in order; the last one is final.' })
  stages!: DossierStageType[];
  @Field(() => [RequestedDocumentType]) documents!: RequestedDocumentType[];
}

/** A dossier type for GraphQL, its texts in the caller's language, else in the commune's default one. */
export function toDossierTypeType(
  type: DossierTypeEntity,
  department: DepartmentEntity,
  locale: Locale | undefined,
  fallback: Locale,
): DossierTypeType {
  return {
    id: type.id,
    code: type.code,
    name: textIn(type.names, locale, fallback),
    description: textIn(type.descriptions, locale, fallback),
    names: type.names,
    descriptions: type.descriptions,
    department: toDepartmentType(department, locale, fallback),
    normDays: type.normDays,
    enabled: type.enabled,
    position: type.position,
    stages: type.stages.map((s) => toStageType(s, locale, fallback)),
    documents: type.documents.map((d) => toDocumentType(d, locale, fallback)),
  };
}
