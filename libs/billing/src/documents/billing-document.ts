import type { PostalAddress } from '@gemeng/communes';

/**
 * An issued invoice or credit note, as the PDF and the UBL e-invoice render it: everything is settled
 * (numbers, dates, amounts in integer cents), nothing is computed at rendering time but the display.
 */

/** UNCL 5305 VAT category codes the platform uses: standard rate, exempt, zero rated, not subject. */
export type VatCategory = 'S' | 'E' | 'Z' | 'O';

export interface BillingParty {
  name: string;
  address: PostalAddress;
  /** VAT identifier with country prefix (e.g. LU12345678), when the party has one. */
  vatId?: string;
  /** Legal registration identifier (e.g. RCS number), when there is one. */
  companyId?: string;
  /** Peppol electronic address: scheme (EAS code, e.g. 9938 for Luxembourg VAT numbers) and identifier. */
  endpoint: { scheme: string; id: string };
  contact?: { name?: string; email?: string; phone?: string };
}

export interface BillingDocumentLine {
  id: string;
  /** E.g. "Gemeng platform, 36,883 inhabitants, 1 Jan 2026 – 31 Dec 2026". */
  description: string;
  /** Inhabitant-days billed: inhabitants x days of the period the commune was a member. */
  quantity: number;
  /** UN/ECE Recommendation 20 unit code of the quantity. */
  unitCode: string;
  /** Price per inhabitant per year, in cents; the price's base quantity is `priceBaseQuantity`. */
  priceCents: number;
  /** Days of the year the price applies to (365 or 366): net = quantity x price / base, rounded. */
  priceBaseQuantity: number;
  netCents: number;
  vatCategory: VatCategory;
  /** Percent, e.g. 17 or 0. */
  vatRate: number;
  period: { start: string; end: string };
}

export interface VatBreakdown {
  category: VatCategory;
  rate: number;
  taxableCents: number;
  taxCents: number;
  /** VATEX code and text, for exempt (E) and not-subject (O) categories. */
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

export interface BillingDocument {
  kind: 'invoice' | 'credit-note';
  /** E.g. INV-2026-000001 or CN-2026-000001: gapless per year and kind. */
  number: string;
  issueDate: string;
  dueDate: string;
  /** ISO 4217. */
  currency: 'EUR';
  /** The buyer reference (BT-10), e.g. the commune's order or service reference. */
  buyerReference: string;
  /** For a credit note: the invoice it corrects (BT-25, BT-26). */
  precedingInvoice?: { number: string; issueDate: string };
  note?: string;
  period: { start: string; end: string };
  seller: BillingParty;
  buyer: BillingParty;
  lines: BillingDocumentLine[];
  vat: VatBreakdown[];
  totals: {
    /** Sum of line net amounts (BT-106). */
    lineNetCents: number;
    /** BT-109 = BT-106 here (no document-level allowances or charges). */
    taxExclusiveCents: number;
    taxCents: number;
    taxInclusiveCents: number;
    payableCents: number;
  };
  payment: {
    /** UNCL 4461: 58 = SEPA credit transfer. */
    meansCode: string;
    iban: string;
    bic?: string;
    accountName: string;
    /** Text of the payment terms, e.g. "30 days net". */
    terms: string;
    /** Remittance information the payer should quote: the invoice number. */
    reference: string;
  };
}
