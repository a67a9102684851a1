import type { VatCategory } from './billing-document';

/** The languages an invoice PDF is printed in: French for Luxembourg's communes, English on request. */
export type InvoiceLocale = 'fr' | 'en';

export interface InvoiceLabels {
  /** BCP 47 tag for number and date formatting. */
  intl: string;
  title: { invoice: string; 'credit-note': string };
  number: string;
  issueDate: string;
  dueDate: string;
  period: string;
  buyerReference: string;
  corrects: string;
  billedTo: string;
  vatId: string;
  companyId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  net: string;
  /** The VAT of a line, under its description. */
  lineVat: (vat: string) => string;
  inhabitants: (inhabitants: string, days: string) => string;
  inhabitantDays: (quantity: string) => string;
  perInhabitantYear: string;
  vatBreakdown: string;
  taxable: string;
  vat: string;
  categories: Record<VatCategory, string>;
  totalNet: string;
  totalVat: string;
  totalGross: string;
  payable: string;
  refundable: string;
  paymentTerms: string;
  paymentMeans: string;
  transfer: string;
  accountHolder: string;
  iban: string;
  bic: string;
  paymentReference: string;
  page: (page: number, pages: number) => string;
}

export const INVOICE_LABELS: Record<InvoiceLocale, InvoiceLabels> = {
  fr: {
    intl: 'fr-LU',
    title: { invoice: 'Facture', 'credit-note': 'Note de crédit' },
    number: 'Numéro',
    issueDate: "Date d'émission",
    dueDate: "Date d'échéance",
    period: 'Période',
    buyerReference: 'Votre référence',
    corrects: 'Corrige la facture',
    billedTo: 'Destinataire',
    vatId: 'N° TVA',
    companyId: 'N° RCS',
    description: 'Désignation',
    quantity: 'Quantité',
    unitPrice: 'Prix unitaire',
    net: 'Montant HT',
    lineVat: (vat) => `TVA\u00a0: ${vat}`,
    inhabitants: (inhabitants, days) => `${inhabitants} habitants × ${days} jours`,
    inhabitantDays: (quantity) => `${quantity} habitants-jours`,
    perInhabitantYear: 'par habitant et par an',
    vatBreakdown: 'Récapitulatif de la TVA',
    taxable: 'Base HT',
    vat: 'TVA',
    categories: { S: 'Taux normal', Z: 'Taux zéro', E: 'Exonéré', O: 'Non soumis à la TVA' },
    totalNet: 'Total HT',
    totalVat: 'Total TVA',
    totalGross: 'Total TTC',
    payable: 'Montant à payer',
    refundable: 'Montant crédité',
    paymentTerms: 'Conditions de paiement',
    paymentMeans: 'Mode de paiement',
    transfer: 'Virement SEPA',
    accountHolder: 'Titulaire du compte',
    iban: 'IBAN',
    bic: 'BIC',
    paymentReference: 'Communication à indiquer',
    page: (page, pages) => `Page ${page} sur ${pages}`,
  },
  en: {
    intl: 'en-GB',
    title: { invoice: 'Invoice', 'credit-note': 'Credit note' },
    number: 'Number',
    issueDate: 'Issue date',
    dueDate: 'Due date',
    period: 'Period',
    buyerReference: 'Your reference',
    corrects: 'Corrects invoice',
    billedTo: 'Bill to',
    vatId: 'VAT no.',
    companyId: 'Registration no.',
    description: 'Description',
    quantity: 'Quantity',
    unitPrice: 'Unit price',
    net: 'Net amount',
    lineVat: (vat) => `VAT: ${vat}`,
    inhabitants: (inhabitants, days) => `${inhabitants} inhabitants × ${days} days`,
    inhabitantDays: (quantity) => `${quantity} inhabitant-days`,
    perInhabitantYear: 'per inhabitant per year',
    vatBreakdown: 'VAT breakdown',
    taxable: 'Taxable amount',
    vat: 'VAT',
    categories: { S: 'Standard rate', Z: 'Zero rated', E: 'Exempt', O: 'Not subject to VAT' },
    totalNet: 'Total excluding VAT',
    totalVat: 'Total VAT',
    totalGross: 'Total including VAT',
    payable: 'Amount due',
    refundable: 'Amount credited',
    paymentTerms: 'Payment terms',
    paymentMeans: 'Payment method',
    transfer: 'SEPA credit transfer',
    accountHolder: 'Account holder',
    iban: 'IBAN',
    bic: 'BIC',
    paymentReference: 'Reference to quote',
    page: (page, pages) => `Page ${page} of ${pages}`,
  },
};
