import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

@ObjectType('LocalizedText', { description: 'A text in each platform language the commune has it in.' })
export class LocalizedTextType {
  @Field({ nullable: true }) lb?: string;
  @Field({ nullable: true }) fr?: string;
  @Field({ nullable: true }) de?: string;
  @Field({ nullable: true }) en?: string;
}

@ObjectType('Theme', { description: "The commune's branding; every text/background pair meets WCAG 2.1 AA." })
export class ThemeType {
  @Field() primaryColor!: string;
  @Field() onPrimaryColor!: string;
  @Field() secondaryColor!: string;
  @Field() onSecondaryColor!: string;
  @Field() accentColor!: string;
  @Field() textColor!: string;
  @Field() backgroundColor!: string;
  @Field({ nullable: true }) logoUrl?: string;
  @Field({ nullable: true }) coatOfArmsUrl?: string;
}

@ObjectType('OpeningHours')
export class OpeningHoursType {
  @Field() days!: string;
  @Field() hours!: string;
}

@ObjectType('Contact')
export class ContactType {
  @Field() address!: string;
  @Field() phone!: string;
  @Field() email!: string;
  @Field({ nullable: true }) website?: string;
  @Field(() => [OpeningHoursType]) openingHours!: OpeningHoursType[];
}

/** The commune a citizen's portal belongs to, as its host shows it. */
@ObjectType('Commune')
export class CommuneType {
  @Field() slug!: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field(() => [String], { description: 'Languages the portal offers, among lb, fr, de, en.' }) locales!: string[];
  @Field() defaultLocale!: string;
  @Field(() => ThemeType) theme!: ThemeType;
  @Field(() => ContactType) contact!: ContactType;
}

export enum CommuneStatusValue {
  provisioning = 'provisioning',
  active = 'active',
  suspended = 'suspended',
}
registerEnumType(CommuneStatusValue, { name: 'CommuneStatus' });

export enum DomainKindValue {
  subdomain = 'subdomain',
  custom = 'custom',
}
registerEnumType(DomainKindValue, { name: 'DomainKind' });

@ObjectType('CommuneDomain')
export class CommuneDomainType {
  @Field({ description: 'A subdomain label (e.g. "esch") or a full custom host name.' }) host!: string;
  @Field(() => DomainKindValue) kind!: DomainKindValue;
  @Field({ nullable: true }) verifiedAt?: Date;
}

@ObjectType('PopulationRecord')
export class PopulationRecordType {
  @Field() referenceDate!: string;
  @Field(() => Int) inhabitants!: number;
  @Field() source!: string;
  @Field() recordedAt!: Date;
}

@ObjectType('BillingAddress')
export class BillingAddressType {
  @Field(() => [String]) lines!: string[];
  @Field() postalCode!: string;
  @Field() city!: string;
  @Field() countryCode!: string;
}

@ObjectType('BillingDetails', { description: "What the operator's e-invoices to the commune need." })
export class BillingDetailsType {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true, description: 'Peppol endpoint, scheme:identifier.' }) endpoint?: string;
  @Field({ nullable: true }) buyerReference?: string;
  @Field({ nullable: true }) vatId?: string;
  @Field(() => BillingAddressType, { nullable: true }) address?: BillingAddressType;
}

/** A commune as the operator manages it. */
@ObjectType('CommuneRecord')
export class CommuneRecordType {
  @Field(() => ID) id!: string;
  @Field() slug!: string;
  @Field(() => CommuneStatusValue) status!: CommuneStatusValue;
  @Field({ nullable: true }) statusReason?: string;
  @Field(() => LocalizedTextType) names!: LocalizedTextType;
  @Field(() => [String]) locales!: string[];
  @Field() defaultLocale!: string;
  @Field(() => ThemeType) theme!: ThemeType;
  @Field(() => ContactType) contact!: ContactType;
  @Field(() => [CommuneDomainType]) domains!: CommuneDomainType[];
  @Field({ nullable: true, description: 'Price per inhabitant per year in EUR; null = the platform default.' })
  pricePerInhabitant?: string;
  @Field(() => BillingDetailsType, { nullable: true, description: 'Null until given: the commune cannot be invoiced.' })
  billing?: BillingDetailsType;
  @Field() joinedOn!: string;
  @Field({ nullable: true }) leftOn?: string;
  @Field() createdAt!: Date;
}

@ObjectType('MigrationOutcome')
export class MigrationOutcomeType {
  @Field() slug!: string;
  @Field(() => [String]) applied!: string[];
  @Field(() => Int) ms!: number;
  @Field({ nullable: true }) error?: string;
}
