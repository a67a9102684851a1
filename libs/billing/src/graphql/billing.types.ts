import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum InvoiceKindValue {
  INVOICE = 'invoice',
  CREDIT_NOTE = 'credit-note',
}
registerEnumType(InvoiceKindValue, { name: 'InvoiceKind' });

export enum InvoiceStatusValue {
  DRAFT = 'draft',
  ISSUED = 'issued',
  PAID = 'paid',
  CREDITED = 'credited',
}
registerEnumType(InvoiceStatusValue, {
  name: 'InvoiceStatus',
  description: 'An issued invoice is immutable: it can only be paid, or credited by a credit note.',
});

export enum VatCategoryValue {
  S = 'S',
  E = 'E',
  Z = 'Z',
  O = 'O',
}
registerEnumType(VatCategoryValue, {
  name: 'VatCategory',
  description: 'The VAT category of UNCL 5305.',
  valuesMap: {
    S: { description: 'Standard rate' },
    E: { description: 'Exempt from VAT (needs an exemption reason)' },
    Z: { description: 'Zero rated' },
    O: { description: 'Not subject to VAT (needs an exemption reason)' },
  },
});

const MONEY = 'EUR as an exact decimal string with a dot, e.g. "610000.00".';

@ObjectType('BillingPeriod')
export class BillingPeriodType {
  @Field({ description: '"2026", "2026-Q2" or "2026-03".' }) label!: string;
  @Field({ description: 'First day, YYYY-MM-DD.' }) start!: string;
  @Field({ description: 'Last day (inclusive), YYYY-MM-DD.' }) end!: string;
}

/** An invoice or a credit note to a commune. */
@ObjectType('Invoice')
export class InvoiceType {
  @Field(() => ID) id!: string;
  @Field(() => InvoiceKindValue) kind!: InvoiceKindValue;
  @Field({ nullable: true, description: 'E.g. INV-2026-000001; null only for a draft.' }) number?: string;
  @Field(() => InvoiceStatusValue) status!: InvoiceStatusValue;
  @Field({ description: "The commune's slug." }) commune!: string;
  @Field(() => BillingPeriodType) period!: BillingPeriodType;
  @Field({ nullable: true }) issueDate?: string;
  @Field({ nullable: true }) dueDate?: string;
  @Field(() => Int, { description: 'Inhabitants at the reference date.' }) inhabitants!: number;
  @Field({ description: `Price per inhabitant per year; ${MONEY}` }) pricePerInhabitant!: string;
  @Field({ description: `Amount before VAT; ${MONEY}` }) net!: string;
  @Field({ description: `VAT; ${MONEY}` }) tax!: string;
  @Field({ description: `Amount to pay (or credited); ${MONEY}` }) total!: string;
  @Field({ description: 'ISO 4217.' }) currency!: string;
  @Field({ nullable: true }) paidOn?: string;
  @Field({ nullable: true }) paymentReference?: string;
  @Field(() => ID, {
    nullable: true,
    description: 'For a credit note, the invoice it corrects; for a credited invoice, its credit note.',
  })
  relatedInvoiceId?: string;
  @Field({ nullable: true, description: 'Path of the PDF on this host; null for a draft.' }) pdfUrl?: string;
  @Field({ nullable: true, description: 'Path of the UBL 2.1 e-invoice on this host; null for a draft.' })
  xmlUrl?: string;
}

@ObjectType('BillingSkip', { description: 'An active commune a billing run could not invoice, and why.' })
export class BillingSkipType {
  @Field() commune!: string;
  @Field() reason!: string;
}

@ObjectType('BillingRun')
export class BillingRunType {
  @Field(() => BillingPeriodType) period!: BillingPeriodType;
  @Field({ description: 'True for a preview: nothing was issued.' }) preview!: boolean;
  @Field(() => [InvoiceType], { description: 'Issued by this run; in a preview, what would be.' })
  invoices!: InvoiceType[];
  @Field(() => [InvoiceType], { description: 'Invoices of earlier runs for this period: nothing new for them.' })
  alreadyInvoiced!: InvoiceType[];
  @Field(() => [BillingSkipType]) skipped!: BillingSkipType[];
  @Field({ description: `Sum of the totals of \`invoices\`; ${MONEY}` }) total!: string;
}

@ObjectType('BillingPrice', { description: 'A price per inhabitant per year, valid from a date until the next one.' })
export class BillingPriceType {
  @Field({ nullable: true, description: "The commune's slug; null for the platform default." }) commune?: string;
  @Field({ description: 'YYYY-MM-DD.' }) validFrom!: string;
  @Field({ description: MONEY }) pricePerInhabitant!: string;
  @Field(() => VatCategoryValue) vatCategory!: VatCategoryValue;
  @Field({ description: 'Percent, as a decimal string, e.g. "17".' }) vatRate!: string;
  @Field({ nullable: true, description: 'VATEX code, for E and O.' }) exemptionReasonCode?: string;
  @Field({ nullable: true }) exemptionReason?: string;
}

@ObjectType('BillingOverviewRow')
export class BillingOverviewRowType {
  @Field() commune!: string;
  @Field() communeName!: string;
  @Field(() => BillingPeriodType) period!: BillingPeriodType;
  @Field(() => Int) inhabitants!: number;
  @Field({ description: MONEY }) pricePerInhabitant!: string;
  @Field({ description: MONEY }) invoiced!: string;
  @Field({ description: MONEY }) paid!: string;
  @Field({ description: MONEY }) outstanding!: string;
}

@ObjectType('BillingOverview')
export class BillingOverviewType {
  @Field(() => Int) year!: number;
  @Field(() => [BillingOverviewRowType]) rows!: BillingOverviewRowType[];
  @Field({ description: MONEY }) invoiced!: string;
  @Field({ description: MONEY }) paid!: string;
  @Field({ description: MONEY }) outstanding!: string;
  @Field({ description: 'Path of the same overview as CSV on the operator host.' }) csvUrl!: string;
}
