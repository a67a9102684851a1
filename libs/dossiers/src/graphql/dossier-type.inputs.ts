import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DossierStageInput, LocalizedDescriptionInput, RequestedDocumentInput } from '@gemeng/catalogue';
import { LocalizedTextInput } from '@gemeng/communes';

// Numbers and lists are bounded here only against abuse; their rules (2 to 20 stages, a norm of 1 to 250
// working days...) are checked by the service, so that every problem of an input is reported at once.

/** What enabling and changing a dossier type have in common. */
@InputType({ isAbstract: true })
abstract class DossierTypeSettingsInput {
  @Field(() => Int, { nullable: true, description: 'Service norm in working days, 1 to 250.' })
  @IsOptional()
  @IsInt()
  normDays?: number;

  @Field(() => [DossierStageInput], {
    nullable: true,
    description: 'Every stage, in order: 2 to 20, exactly one final stage, the last.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DossierStageInput)
  stages?: DossierStageInput[];

  @Field(() => [RequestedDocumentInput], { nullable: true, description: 'Every document asked for.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RequestedDocumentInput)
  documents?: RequestedDocumentInput[];

  @Field(() => LocalizedTextInput, {
    nullable: true,
    description: "In the commune's languages, at least its default one.",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedTextInput)
  names?: LocalizedTextInput;

  @Field(() => LocalizedDescriptionInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocalizedDescriptionInput)
  descriptions?: LocalizedDescriptionInput;

  @Field(() => Int, { nullable: true, description: "Place in the commune's list." })
  @IsOptional()
  @IsInt()
  position?: number;
}

@InputType('DossierTypeUpdateInput', { description: 'What to change; what is left out stays as it is.' })
export class DossierTypeUpdateInput extends DossierTypeSettingsInput {
  @Field({ nullable: true, description: 'Code of the department that handles new dossiers.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  departmentCode?: string;
}

@InputType('EnableDossierTypeInput', {
  description: "A service of the catalogue to offer; what is left out is taken from the catalogue's defaults.",
})
export class EnableDossierTypeInput extends DossierTypeSettingsInput {
  @Field({ description: 'The code of a current service type of the catalogue.' })
  @IsString()
  @MaxLength(100)
  serviceTypeCode!: string;

  @Field({ description: 'Code of the department that handles its dossiers.' })
  @IsString()
  @MaxLength(100)
  departmentCode!: string;
}
