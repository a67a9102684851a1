import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, NotFoundError, type RequestContext } from '@gemeng/core';
import { BillingService } from '../services/billing.service';
import { BillingPriceInput, CreditInvoiceArgs, InvoiceFilterInput, MarkInvoicePaidArgs } from './billing.inputs';
import { toBillingOverviewType, toBillingPriceType, toBillingRunType, toInvoiceType } from './billing.mapping';
import { BillingOverviewType, BillingPriceType, BillingRunType, InvoiceType } from './billing.types';
import { centsFromDecimal } from './money';

const PERIOD = 'A year ("2026"), a quarter ("2026-Q2") or a month ("2026-03").';

/** The operator's billing of communes, on the operator host only. */
@Resolver(() => InvoiceType)
export class OperatorBillingResolver {
  constructor(private readonly billing: BillingService) {}

  @Query(() => [InvoiceType], { description: 'Invoices and credit notes, newest first.' })
  @Allow('operator')
  async invoices(
    @Ctx() ctx: RequestContext,
    @Args('filter', { type: () => InvoiceFilterInput, nullable: true }) filter?: InvoiceFilterInput,
  ): Promise<InvoiceType[]> {
    const invoices = await this.billing.list(ctx, {
      communeSlug: filter?.commune,
      year: filter?.year,
      status: filter?.status,
      kind: filter?.kind,
    });
    return invoices.map(toInvoiceType);
  }

  @Query(() => InvoiceType, { description: 'One invoice or credit note; NOT_FOUND otherwise.' })
  @Allow('operator')
  async invoice(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<InvoiceType> {
    return toInvoiceType(await this.billing.get(ctx, id));
  }

  @Query(() => BillingRunType, { description: 'What a billing run of the period would issue; issues nothing.' })
  @Allow('operator')
  async previewBilling(
    @Ctx() ctx: RequestContext,
    @Args('period', { description: PERIOD }) period: string,
  ): Promise<BillingRunType> {
    return toBillingRunType(await this.billing.run(ctx, period, { preview: true }));
  }

  @Mutation(() => BillingRunType, {
    description: 'Invoices every active commune for the period, once: running it again issues nothing new.',
  })
  @Allow('operator')
  async runBilling(
    @Ctx() ctx: RequestContext,
    @Args('period', { description: PERIOD }) period: string,
  ): Promise<BillingRunType> {
    return toBillingRunType(await this.billing.run(ctx, period));
  }

  @Mutation(() => InvoiceType, { description: 'Records the payment of an issued invoice; CONFLICT if it is not open.' })
  @Allow('operator')
  async markInvoicePaid(@Ctx() ctx: RequestContext, @Args() args: MarkInvoicePaidArgs): Promise<InvoiceType> {
    return toInvoiceType(await this.billing.markPaid(ctx, args.id, { paidOn: args.paidOn, reference: args.reference }));
  }

  @Mutation(() => InvoiceType, {
    description: 'Issues a credit note for the whole invoice, which becomes CREDITED; returns the credit note.',
  })
  @Allow('operator')
  async creditInvoice(@Ctx() ctx: RequestContext, @Args() args: CreditInvoiceArgs): Promise<InvoiceType> {
    return toInvoiceType(await this.billing.credit(ctx, args.id, args.reason));
  }

  @Mutation(() => BillingPriceType, { description: 'Sets a price per inhabitant per year from a date on.' })
  @Allow('operator')
  async setBillingPrice(
    @Ctx() ctx: RequestContext,
    @Args('input') input: BillingPriceInput,
  ): Promise<BillingPriceType> {
    const saved = await this.billing.setPrice(ctx, {
      communeSlug: input.commune ?? null,
      validFrom: input.validFrom,
      centsPerInhabitantYear: centsFromDecimal(input.pricePerInhabitant, 'pricePerInhabitant'),
      vat: {
        category: input.vatCategory,
        rate: Number(input.vatRate),
        exemptionReasonCode: input.exemptionReasonCode,
        exemptionReason: input.exemptionReason,
      },
    });
    return toBillingPriceType(saved);
  }

  @Query(() => [BillingPriceType], {
    description: "Prices by date: a commune's overrides and the platform default, or the default alone.",
  })
  @Allow('operator')
  async billingPrices(
    @Ctx() ctx: RequestContext,
    @Args('commune', { nullable: true, description: "A commune's slug." }) commune?: string,
  ): Promise<BillingPriceType[]> {
    return (await this.billing.prices(ctx, commune)).map(toBillingPriceType);
  }

  @Query(() => BillingOverviewType, {
    description: 'Per commune and period of the year: population, price, amounts invoiced and paid, and the totals.',
  })
  @Allow('operator')
  async billingOverview(
    @Ctx() ctx: RequestContext,
    @Args('year', { type: () => Int }) year: number,
  ): Promise<BillingOverviewType> {
    return toBillingOverviewType(year, await this.billing.overview(ctx, year));
  }
}

/** A commune's own invoices, for its administrators, on the commune's host. */
@Resolver(() => InvoiceType)
export class CommuneBillingResolver {
  constructor(private readonly billing: BillingService) {}

  @Query(() => [InvoiceType], { description: "This commune's issued invoices and credit notes, newest first." })
  @Allow('admin')
  async communeInvoices(@Ctx() ctx: RequestContext): Promise<InvoiceType[]> {
    return (await this.billing.listForCommune(ctx)).map(toInvoiceType);
  }

  @Query(() => InvoiceType, { description: "One of this commune's invoices; NOT_FOUND for any other." })
  @Allow('admin')
  async communeInvoice(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<InvoiceType> {
    // A commune has a handful of documents a year: its own list is the one place that cannot leak another's.
    const invoice = (await this.billing.listForCommune(ctx)).find((i) => i.id === id);
    if (!invoice) throw new NotFoundError('No such invoice');
    return toInvoiceType(invoice);
  }
}
