import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { InvoiceKindValue, InvoiceStatusValue, VatCategoryValue } from './billing.types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = '$property must be a date as YYYY-MM-DD';
const SLUG = /^[a-z][a-z0-9-]{0,39}$/;

@InputType('InvoiceFilter', { description: 'Every criterion left out matches everything.' })
export class InvoiceFilterInput {
  @Field({ nullable: true, description: "A commune's slug." })
  @IsOptional()
  @Matches(SLUG, { message: '$property must be a commune slug' })
  commune?: string;

  @Field(() => Int, { nullable: true, description: 'Year of issue, the year in the number (INV-2026-...).' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(9999)
  year?: number;

  @Field(() => InvoiceStatusValue, { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceStatusValue)
  status?: InvoiceStatusValue;

  @Field(() => InvoiceKindValue, { nullable: true })
  @IsOptional()
  @IsEnum(InvoiceKindValue)
  kind?: InvoiceKindValue;
}

@InputType('BillingPriceInput', {
  description: 'A price per inhabitant per year from a date on, for one commune or (without commune) the platform.',
})
export class BillingPriceInput {
  @Field({ nullable: true, description: "A commune's slug; left out: the platform default." })
  @IsOptional()
  @Matches(SLUG, { message: '$property must be a commune slug' })
  commune?: string;

  @Field({ description: 'YYYY-MM-DD: the first day the price applies to.' })
  @Matches(DATE, { message: DATE_MESSAGE })
  validFrom!: string;

  @Field({ description: 'EUR per inhabitant per year, e.g. "20.00".' })
  @IsString()
  @MaxLength(20)
  pricePerInhabitant!: string;

  @Field(() => VatCategoryValue)
  @IsEnum(VatCategoryValue)
  vatCategory!: VatCategoryValue;

  @Field({ description: 'Percent as a decimal string, e.g. "17"; "0" for E, Z and O.' })
  @Matches(/^\d{1,2}(\.\d{1,2})?$/, { message: '$property must be a percentage such as "17" or "8.5"' })
  vatRate!: string;

  @Field({ nullable: true, description: 'VATEX code (e.g. VATEX-EU-132), required for E and O.' })
  @IsOptional()
  @Matches(/^VATEX-[A-Z0-9-]{2,40}$/i, { message: '$property must be a VATEX code such as VATEX-EU-132' })
  exemptionReasonCode?: string;

  @Field({ nullable: true, description: 'The exemption as the invoice states it.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  exemptionReason?: string;
}

@ArgsType()
export class MarkInvoicePaidArgs {
  @Field(() => ID) @IsString() @MaxLength(64) id!: string;

  @Field({ description: 'Day the payment was received, YYYY-MM-DD.' })
  @Matches(DATE, { message: DATE_MESSAGE })
  paidOn!: string;

  @Field({ description: "The payment's reference, e.g. the bank transfer's." })
  @IsString()
  @MinLength(1)
  @MaxLength(140)
  reference!: string;
}

@ArgsType()
export class CreditInvoiceArgs {
  @Field(() => ID) @IsString() @MaxLength(64) id!: string;

  @Field({ description: 'Why the invoice is credited; printed on the credit note.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
