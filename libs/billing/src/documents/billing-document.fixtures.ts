import type { BillingDocument, BillingParty } from './billing-document';

/**
 * Settled documents as the billing service issues them, for the renderers' and the e-invoice rule
 * checker's tests. Amounts are worked out by hand from the per-capita formula:
 * net = round(inhabitants x days x price per inhabitant-year / days in the year).
 */

const operator: BillingParty = {
  name: 'Syndicat intercommunal Gemeng',
  address: { lines: ['11, rue de la Gare', 'Bâtiment B'], postalCode: '1611', city: 'Luxembourg', countryCode: 'LU' },
  vatId: 'LU12345613',
  companyId: 'J123',
  endpoint: { scheme: '9938', id: 'LU12345613' },
  contact: { name: 'Service facturation', email: 'facturation@gemeng.lu', phone: '+352 26 00 00 1' },
};

const eschSurAlzette: BillingParty = {
  name: "Administration communale d'Esch-sur-Alzette",
  address: { lines: ["Place de l'Hôtel de Ville"], postalCode: '4138', city: 'Esch-sur-Alzette', countryCode: 'LU' },
  endpoint: { scheme: '9938', id: 'LU15938272' },
};

const differdange: BillingParty = {
  name: 'Administration communale de Differdange',
  address: {
    lines: ['40, avenue Charlotte', 'B.P. 12', 'Hôtel de Ville'],
    postalCode: '4530',
    city: 'Differdange',
    countryCode: 'LU',
  },
  vatId: 'LU20071217',
  endpoint: { scheme: '9938', id: 'LU20071217' },
  contact: { email: 'finances@differdange.lu' },
};

const payment = {
  meansCode: '58',
  iban: 'LU28 0019 4006 4475 0000',
  bic: 'BCEELULL',
  accountName: 'Syndicat intercommunal Gemeng',
  terms: 'Payable à 30 jours nets, sans escompte.',
};

/** A full year: 30,500 inhabitants x 20.00 EUR = 610,000.00 EUR, standard rate 17 %. */
export const fullYearInvoice: BillingDocument = {
  kind: 'invoice',
  number: 'INV-2026-000001',
  issueDate: '2026-01-05',
  dueDate: '2026-02-04',
  currency: 'EUR',
  buyerReference: 'ESCH-2026-PLATEFORME',
  period: { start: '2026-01-01', end: '2026-12-31' },
  seller: operator,
  buyer: eschSurAlzette,
  lines: [
    {
      id: '1',
      description: 'Plateforme Gemeng, 30 500 habitants, 1 janv. 2026 – 31 déc. 2026',
      quantity: 30_500 * 365,
      unitCode: 'DAY',
      priceCents: 2000,
      priceBaseQuantity: 365,
      netCents: 61_000_000,
      vatCategory: 'S',
      vatRate: 17,
      period: { start: '2026-01-01', end: '2026-12-31' },
    },
  ],
  vat: [{ category: 'S', rate: 17, taxableCents: 61_000_000, taxCents: 10_370_000 }],
  totals: {
    lineNetCents: 61_000_000,
    taxExclusiveCents: 61_000_000,
    taxCents: 10_370_000,
    taxInclusiveCents: 71_370_000,
    payableCents: 71_370_000,
  },
  payment: { ...payment, reference: 'INV-2026-000001' },
};

/** Exempt from VAT (Art. 132 of Directive 2006/112/EC): 36,883 inhabitants x 20.00 EUR. */
export const exemptInvoice: BillingDocument = {
  kind: 'invoice',
  number: 'INV-2026-000002',
  issueDate: '2026-01-05',
  dueDate: '2026-02-04',
  currency: 'EUR',
  buyerReference: 'DIFF-2026',
  note: 'Facturation annuelle de la plateforme communale.',
  period: { start: '2026-01-01', end: '2026-12-31' },
  seller: operator,
  buyer: differdange,
  lines: [
    {
      id: '1',
      description: 'Plateforme Gemeng, 36 883 habitants, 1 janv. 2026 – 31 déc. 2026',
      quantity: 36_883 * 365,
      unitCode: 'DAY',
      priceCents: 2000,
      priceBaseQuantity: 365,
      netCents: 73_766_000,
      vatCategory: 'E',
      vatRate: 0,
      period: { start: '2026-01-01', end: '2026-12-31' },
    },
  ],
  vat: [
    {
      category: 'E',
      rate: 0,
      taxableCents: 73_766_000,
      taxCents: 0,
      exemptionReasonCode: 'VATEX-EU-132',
      exemptionReason: 'Exonération, article 132 de la directive 2006/112/CE',
    },
  ],
  totals: {
    lineNetCents: 73_766_000,
    taxExclusiveCents: 73_766_000,
    taxCents: 0,
    taxInclusiveCents: 73_766_000,
    payableCents: 73_766_000,
  },
  payment: { ...payment, reference: 'INV-2026-000002' },
};

/**
 * A commune that joined on 1 March of a leap year at an override price of 21.50 EUR, whose population
 * changed on 1 July: 4,217 x 122 days and 4,305 x 184 days over a base of 366 days.
 */
export const proRataInvoice: BillingDocument = {
  kind: 'invoice',
  number: 'INV-2028-000007',
  issueDate: '2028-01-04',
  dueDate: '2028-02-03',
  currency: 'EUR',
  buyerReference: 'BC-2028-114',
  period: { start: '2028-01-01', end: '2028-12-31' },
  seller: operator,
  buyer: differdange,
  lines: [
    {
      id: '1',
      description: 'Plateforme Gemeng, 4 217 habitants, 1 mars 2028 – 30 juin 2028',
      quantity: 4_217 * 122,
      unitCode: 'DAY',
      priceCents: 2150,
      priceBaseQuantity: 366,
      netCents: 3_022_183,
      vatCategory: 'S',
      vatRate: 17,
      period: { start: '2028-03-01', end: '2028-06-30' },
    },
    {
      id: '2',
      description: 'Plateforme Gemeng, 4 305 habitants, 1 juil. 2028 – 31 déc. 2028',
      quantity: 4_305 * 184,
      unitCode: 'DAY',
      priceCents: 2150,
      priceBaseQuantity: 366,
      netCents: 4_653_164,
      vatCategory: 'S',
      vatRate: 17,
      period: { start: '2028-07-01', end: '2028-12-31' },
    },
  ],
  vat: [{ category: 'S', rate: 17, taxableCents: 7_675_347, taxCents: 1_304_809 }],
  totals: {
    lineNetCents: 7_675_347,
    taxExclusiveCents: 7_675_347,
    taxCents: 1_304_809,
    taxInclusiveCents: 8_980_156,
    payableCents: 8_980_156,
  },
  payment: { ...payment, reference: 'INV-2028-000007' },
};

/** Not subject to VAT (the operator acting as a public authority): no VAT identifier may appear. */
export const notSubjectInvoice: BillingDocument = {
  ...fullYearInvoice,
  number: 'INV-2026-000003',
  lines: fullYearInvoice.lines.map((line) => ({ ...line, vatCategory: 'O', vatRate: 0 })),
  vat: [
    {
      category: 'O',
      rate: 0,
      taxableCents: 61_000_000,
      taxCents: 0,
      exemptionReasonCode: 'VATEX-EU-O',
      exemptionReason: 'Non soumis à la TVA',
    },
  ],
  totals: {
    lineNetCents: 61_000_000,
    taxExclusiveCents: 61_000_000,
    taxCents: 0,
    taxInclusiveCents: 61_000_000,
    payableCents: 61_000_000,
  },
  payment: { ...payment, reference: 'INV-2026-000003' },
};

/** The credit note cancelling the full-year invoice. */
export const creditNote: BillingDocument = {
  ...fullYearInvoice,
  kind: 'credit-note',
  number: 'CN-2026-000001',
  issueDate: '2026-03-12',
  dueDate: '2026-04-11',
  note: 'Annulation de la facture INV-2026-000001 : chiffre de population corrigé.',
  precedingInvoice: { number: 'INV-2026-000001', issueDate: '2026-01-05' },
  payment: { ...payment, reference: 'CN-2026-000001' },
};

export const fixtures = { fullYearInvoice, exemptInvoice, proRataInvoice, notSubjectInvoice, creditNote };
