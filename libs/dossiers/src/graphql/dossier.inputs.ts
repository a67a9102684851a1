import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ISO_DATE } from '@gemeng/communes';
import { PreferredChannelValue } from './dossier.types';

const PHONE = /^\+?[0-9 ()./-]{4,40}$/;

@InputType('DossierDocumentInput', { description: 'A document uploaded to POST /documents, to attach.' })
export class DossierDocumentInput {
  @Field(() => ID) @IsUUID() id!: string;
  @Field({ nullable: true, description: "Which of the service's requested documents this is (its code)." })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  label?: string;
}

/** Uploads to attach, each at most once; at most 20 per change. */
function DocumentsField(): PropertyDecorator {
  return applyDecorators(
    Field(() => [DossierDocumentInput], { defaultValue: [] }),
    IsArray(),
    ArrayMaxSize(20),
    ValidateNested({ each: true }),
    Type(() => DossierDocumentInput),
  );
}

@InputType('SubmitDossierInput')
export class SubmitDossierInput {
  @Field({ description: 'The code of one of the dossier types the commune offers (see dossierTypes).' })
  @IsString()
  @MaxLength(60)
  typeCode!: string;

  @Field() @IsString() @MaxLength(200) subject!: string;
  @Field() @IsString() @MaxLength(5000) description!: string;
  @Field(() => PreferredChannelValue) @IsEnum(PreferredChannelValue) preferredChannel!: PreferredChannelValue;

  @Field({ nullable: true, description: 'Needed for a call back.' })
  @IsOptional()
  @Matches(PHONE, { message: '$property must be a phone number' })
  phone?: string;

  @Field(() => [String], { defaultValue: [], description: 'Dates that suit the citizen, YYYY-MM-DD.' })
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(ISO_DATE, { each: true, message: 'each of $property must be a date written YYYY-MM-DD' })
  preferredDates!: string[];

  @DocumentsField()
  documents!: DossierDocumentInput[];
}

@InputType('DossierReplyInput')
export class DossierReplyInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(5000) message?: string;

  @DocumentsField()
  documents!: DossierDocumentInput[];
}

@InputType('DossierInboxFilter')
export class DossierInboxFilter {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(60) stageCode?: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() assignedToMe?: boolean;
  @Field({ nullable: true, description: 'Closed dossiers too.' }) @IsOptional() @IsBoolean() includeClosed?: boolean;
  @Field(() => Int, { nullable: true, description: 'At most 200; 50 by default.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) offset?: number;
}
