import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { LOCALES, type Locale } from '@gemeng/core';
import { HEX_COLOR } from '../theme/contrast';

export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PRICE = /^\d{1,6}(\.\d{1,2})?$/;
const CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** EAS code (four digits) and identifier. */
const PEPPOL_ENDPOINT = /^[0-9]{4}:[^\s:]{1,100}$/;
const VAT_ID = /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/;
const colorMessage = '$property must be a colour written #rrggbb, got "$value"';

@InputType('LocalizedTextInput', { description: 'A text in each of the platform languages.' })
export class LocalizedTextInput implements Partial<Record<Locale, string>> {
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) lb?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) fr?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) de?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) en?: string;
}

@InputType('LocalesInput')
export class LocalesInput {
  @Field(() => [String], { description: 'Languages the portal offers: lb, fr, de, en.' })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(LOCALES, { each: true, message: `each value in enabled must be one of ${LOCALES.join(', ')}` })
  enabled!: Locale[];

  @Field(() => String)
  @IsIn(LOCALES, { message: `default must be one of ${LOCALES.join(', ')}` })
  default!: Locale;
}

@InputType('ThemeInput')
export class ThemeInput {
  @Field() @Matches(HEX_COLOR, { message: colorMessage }) primaryColor!: string;
  @Field({ nullable: true, defaultValue: '#ffffff', description: 'Text on the primary colour.' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: colorMessage })
  onPrimaryColor?: string;
  @Field() @Matches(HEX_COLOR, { message: colorMessage }) secondaryColor!: string;
  @Field({ nullable: true, defaultValue: '#ffffff', description: 'Text on the secondary colour.' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: colorMessage })
  onSecondaryColor?: string;
  @Field({ description: 'Links and highlights, drawn on the background.' })
  @Matches(HEX_COLOR, { message: colorMessage })
  accentColor!: string;
  @Field({ nullable: true, defaultValue: '#1a1a1a' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: colorMessage })
  textColor?: string;
  @Field({ nullable: true, defaultValue: '#ffffff' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: colorMessage })
  backgroundColor?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) logoUrl?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) coatOfArmsUrl?: string;
}

@InputType('OpeningHoursInput')
export class OpeningHoursInput {
  @Field({ description: 'e.g. "Mon-Fri"' }) @IsString() @IsNotEmpty() @MaxLength(100) days!: string;
  @Field({ description: 'e.g. "08:00-12:00, 13:30-16:30"' }) @IsString() @IsNotEmpty() @MaxLength(100) hours!: string;
}

@InputType('ContactInput')
export class ContactInput {
  @Field() @IsString() @IsNotEmpty() @MaxLength(300) address!: string;
  @Field()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{4,30}$/, { message: 'phone must be a telephone number, got "$value"' })
  phone!: string;
  @Field() @IsEmail({}, { message: 'email must be an e-mail address, got "$value"' }) email!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(300) website?: string;
  @Field(() => [OpeningHoursInput], { nullable: true, defaultValue: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(14)
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursInput)
  openingHours?: OpeningHoursInput[];
}

@InputType('PopulationRecordInput')
export class PopulationRecordInput {
  @Field({ description: 'The date the figure counts at, YYYY-MM-DD.' })
  @Matches(ISO_DATE, { message: 'referenceDate must be a date written YYYY-MM-DD, got "$value"' })
  referenceDate!: string;

  @Field(() => Int) @IsInt() @Min(0) @Max(10_000_000) inhabitants!: number;

  @Field({ description: 'Where the figure comes from, e.g. the national statistics office.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  source!: string;
}

@InputType('BillingAddressInput', { description: 'A postal address, for invoices.' })
export class BillingAddressInput {
  @Field(() => [String], { description: 'Street and number, one to three lines.' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  lines!: string[];

  @Field() @IsString() @IsNotEmpty() @MaxLength(20) postalCode!: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(100) city!: string;

  @Field({ nullable: true, defaultValue: 'LU', description: 'ISO 3166-1 alpha-2 country code.' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be a two-letter country code such as LU, got "$value"' })
  countryCode?: string;
}

@InputType('BillingDetailsInput', { description: "What the operator's e-invoices to the commune need." })
export class BillingDetailsInput {
  @Field({
    nullable: true,
    description:
      'Legal name on invoices, e.g. "Administration communale d\'Esch-sur-Alzette"; by default the commune\'s name.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true, description: 'Peppol endpoint, scheme:identifier, e.g. "9938:LU12345678".' })
  @IsOptional()
  @Matches(PEPPOL_ENDPOINT, { message: 'endpoint must be a Peppol address written scheme:identifier, got "$value"' })
  endpoint?: string;

  @Field({ nullable: true, description: 'The reference the commune asks suppliers to quote (BT-10).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  buyerReference?: string;

  @Field({ nullable: true, description: 'VAT identifier with its country prefix, e.g. "LU12345678".' })
  @IsOptional()
  @Matches(VAT_ID, { message: 'vatId must be a VAT identifier with its country prefix, got "$value"' })
  vatId?: string;

  @Field(() => BillingAddressInput, {
    nullable: true,
    description: 'Needed only when the contact address is not written "<street>, L-1234 <town>".',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingAddressInput)
  address?: BillingAddressInput;
}

@InputType('DepartmentDefinitionInput')
export class DepartmentDefinitionInput {
  @Field({ description: 'Stable identifier within the commune, e.g. "population".' })
  @Matches(CODE, { message: 'code must be lowercase letters, digits and hyphens, got "$value"' })
  @MaxLength(40)
  code!: string;

  @Field(() => LocalizedTextInput) @ValidateNested() @Type(() => LocalizedTextInput) names!: LocalizedTextInput;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address, got "$value"' })
  email?: string;
}

@InputType('AgentDefinitionInput')
export class AgentDefinitionInput {
  @Field() @IsEmail({}, { message: 'email must be an e-mail address, got "$value"' }) email!: string;

  @Field(() => [String], { description: 'Codes of the departments the agent works in.' })
  @IsArray()
  @IsString({ each: true })
  departments!: string[];
}

@InputType('DossierTypeDefinitionInput')
export class DossierTypeDefinitionInput {
  @Field({ description: 'Code of a service type of the shared catalogue, e.g. "interview".' })
  @Matches(CODE, { message: 'serviceType must be a code of the service catalogue, got "$value"' })
  @MaxLength(40)
  serviceType!: string;

  @Field({ description: 'Code of the department that handles it.' }) @IsString() department!: string;

  @Field(() => Int, { nullable: true, description: "Service norm in working days; by default the catalogue's." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250)
  normDays?: number;
}

/** Everything the operator says about a commune when onboarding it; the shape of `tenants/<slug>.yaml`. */
@InputType('CommuneDefinitionInput')
export class CommuneDefinitionInput {
  @Field({ description: 'Lowercase identifier; also the subdomain, e.g. "esch".' })
  @IsString()
  slug!: string;

  @Field(() => LocalizedTextInput) @ValidateNested() @Type(() => LocalizedTextInput) names!: LocalizedTextInput;

  @Field(() => LocalesInput) @ValidateNested() @Type(() => LocalesInput) locales!: LocalesInput;

  @Field(() => ThemeInput) @ValidateNested() @Type(() => ThemeInput) theme!: ThemeInput;

  @Field(() => ContactInput) @ValidateNested() @Type(() => ContactInput) contact!: ContactInput;

  @Field(() => [String], {
    nullable: true,
    defaultValue: [],
    description: 'Verified custom domains, e.g. "www.esch.lu".',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(HOST_NAME, { each: true, message: 'each custom domain must be a lowercase host name, got "$value"' })
  customDomains?: string[];

  @Field({ description: 'First day the commune is on the platform, YYYY-MM-DD.' })
  @Matches(ISO_DATE, { message: 'joinedOn must be a date written YYYY-MM-DD, got "$value"' })
  joinedOn!: string;

  @Field({
    nullable: true,
    description: 'Price per inhabitant per year in EUR, e.g. "19.50"; default: the platform price.',
  })
  @IsOptional()
  @Matches(PRICE, { message: 'pricePerInhabitant must be an amount in EUR with at most two decimals, got "$value"' })
  pricePerInhabitant?: string;

  @Field(() => [PopulationRecordInput], { nullable: true, defaultValue: [] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PopulationRecordInput)
  population?: PopulationRecordInput[];

  @Field(() => BillingDetailsInput, { nullable: true, description: 'Needed before the commune can be invoiced.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingDetailsInput)
  billing?: BillingDetailsInput;

  @Field(() => [DepartmentDefinitionInput], { nullable: true, defaultValue: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DepartmentDefinitionInput)
  departments?: DepartmentDefinitionInput[];

  @Field(() => [DossierTypeDefinitionInput], {
    nullable: true,
    defaultValue: [],
    description: 'Services of the catalogue the commune offers from the start, with their default procedure.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DossierTypeDefinitionInput)
  dossierTypes?: DossierTypeDefinitionInput[];

  @Field(() => [String], {
    nullable: true,
    defaultValue: [],
    description: 'E-mail addresses of the first administrators; they become staff at their first login.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true, message: 'each administrator must be an e-mail address, got "$value"' })
  administrators?: string[];

  @Field(() => [AgentDefinitionInput], { nullable: true, defaultValue: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AgentDefinitionInput)
  agents?: AgentDefinitionInput[];
}
