import { DOMParser, type Element } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { checkEInvoice } from '../../../../test/support/einvoice-rules';
import type { BillingDocument } from './billing-document';
import {
  creditNote,
  exemptInvoice,
  fixtures,
  fullYearInvoice,
  notSubjectInvoice,
  proRataInvoice,
} from './billing-document.fixtures';
import { formatAmount, renderUbl } from './ubl.renderer';

const select = xpath.useNamespaces({
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
});

function parse(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'application/xml').documentElement!;
}

function value(root: Element, expression: string): string | undefined {
  const found = select(expression, root as never) as unknown as Element[];
  return found[0]?.textContent ?? undefined;
}

function count(root: Element, expression: string): number {
  return (select(expression, root as never) as unknown as Element[]).length;
}

describe('renderUbl', () => {
  it.each(Object.entries(fixtures))('renders %s with no violated rule', (_name, doc) => {
    expect(checkEInvoice(renderUbl(doc))).toEqual([]);
  });

  it('renders the full-year invoice: 30,500 inhabitants x 20.00 EUR = 610,000.00 EUR plus 17 % VAT', () => {
    const root = parse(renderUbl(fullYearInvoice));
    expect(root.localName).toBe('Invoice');
    expect(root.namespaceURI).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(value(root, 'cbc:CustomizationID')).toBe(
      'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
    );
    expect(value(root, 'cbc:ProfileID')).toBe('urn:fdc:peppol.eu:2017:poacc:billing:01:1.0');
    expect(value(root, 'cbc:ID')).toBe('INV-2026-000001');
    expect(value(root, 'cbc:InvoiceTypeCode')).toBe('380');
    expect(value(root, 'cbc:DueDate')).toBe('2026-02-04');
    expect(value(root, 'cbc:BuyerReference')).toBe('ESCH-2026-PLATEFORME');
    expect(value(root, 'cac:InvoicePeriod/cbc:StartDate')).toBe('2026-01-01');
    expect(value(root, 'cac:InvoicePeriod/cbc:EndDate')).toBe('2026-12-31');
    expect(value(root, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID[@schemeID='9938']")).toBe('LU12345613');
    expect(value(root, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID[@schemeID='9938']")).toBe('LU15938272');
    expect(value(root, 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID')).toBe('LU12345613');
    expect(value(root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName')).toBe(
      "Administration communale d'Esch-sur-Alzette",
    );
    expect(value(root, 'cac:InvoiceLine/cbc:InvoicedQuantity')).toBe('11132500');
    expect(value(root, "cac:InvoiceLine/cbc:InvoicedQuantity[@unitCode='DAY']")).toBe('11132500');
    expect(value(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount[@currencyID='EUR']")).toBe('20.00');
    expect(value(root, "cac:InvoiceLine/cac:Price/cbc:BaseQuantity[@unitCode='DAY']")).toBe('365');
    expect(value(root, 'cac:InvoiceLine/cbc:LineExtensionAmount')).toBe('610000.00');
    expect(count(root, 'cac:TaxTotal')).toBe(1);
    expect(value(root, "cac:TaxTotal/cbc:TaxAmount[@currencyID='EUR']")).toBe('103700.00');
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID')).toBe('S');
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent')).toBe('17');
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID')).toBe('VAT');
    expect(count(root, '//cbc:TaxExemptionReasonCode')).toBe(0);
    expect(value(root, 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount')).toBe('610000.00');
    expect(value(root, 'cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('713700.00');
    expect(value(root, 'cac:PaymentMeans/cbc:PaymentMeansCode')).toBe('58');
    expect(value(root, 'cac:PaymentMeans/cbc:PaymentID')).toBe('INV-2026-000001');
    expect(value(root, 'cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID')).toBe('LU280019400644750000');
    expect(value(root, 'cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID')).toBe(
      'BCEELULL',
    );
    expect(value(root, 'cac:PaymentTerms/cbc:Note')).toBe('Payable à 30 jours nets, sans escompte.');
  });

  it('renders an exempt invoice with its VATEX reason and no VAT', () => {
    const root = parse(renderUbl(exemptInvoice));
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID')).toBe('E');
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent')).toBe('0');
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode')).toBe('VATEX-EU-132');
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason')).toBe(
      'Exonération, article 132 de la directive 2006/112/CE',
    );
    expect(value(root, 'cac:TaxTotal/cbc:TaxAmount')).toBe('0.00');
    expect(value(root, 'cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('737660.00');
    expect(value(root, 'cbc:Note')).toBe('Facturation annuelle de la plateforme communale.');
  });

  it('renders one line per population figure for a commune that joined in a leap year', () => {
    const root = parse(renderUbl(proRataInvoice));
    expect(count(root, 'cac:InvoiceLine')).toBe(2);
    expect(value(root, "cac:InvoiceLine[cbc:ID='1']/cbc:InvoicedQuantity")).toBe('514474');
    expect(value(root, "cac:InvoiceLine[cbc:ID='1']/cac:InvoicePeriod/cbc:StartDate")).toBe('2028-03-01');
    expect(value(root, "cac:InvoiceLine[cbc:ID='1']/cbc:LineExtensionAmount")).toBe('30221.83');
    expect(value(root, "cac:InvoiceLine[cbc:ID='2']/cbc:LineExtensionAmount")).toBe('46531.64');
    expect(value(root, "cac:InvoiceLine[cbc:ID='2']/cac:Price/cbc:BaseQuantity")).toBe('366');
    expect(value(root, 'cac:LegalMonetaryTotal/cbc:LineExtensionAmount')).toBe('76753.47');
    expect(value(root, 'cac:TaxTotal/cbc:TaxAmount')).toBe('13048.09');
    expect(value(root, 'cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('89801.56');
    // Three address lines: the third goes to the single free address line.
    expect(value(root, 'cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:AddressLine/cbc:Line')).toBe(
      'Hôtel de Ville',
    );
  });

  it('renders a document not subject to VAT without any rate or VAT identifier', () => {
    const root = parse(renderUbl(notSubjectInvoice));
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID')).toBe('O');
    expect(count(root, '//cbc:Percent')).toBe(0);
    expect(count(root, '//cac:PartyTaxScheme')).toBe(0);
    expect(value(root, 'cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode')).toBe('VATEX-EU-O');
  });

  it('renders a credit note as a UBL CreditNote that references the invoice it corrects', () => {
    const root = parse(renderUbl(creditNote));
    expect(root.localName).toBe('CreditNote');
    expect(root.namespaceURI).toBe('urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2');
    expect(value(root, 'cbc:CreditNoteTypeCode')).toBe('381');
    expect(count(root, 'cbc:InvoiceTypeCode')).toBe(0);
    expect(count(root, 'cbc:DueDate')).toBe(0);
    expect(value(root, 'cac:PaymentMeans/cbc:PaymentDueDate')).toBe('2026-04-11');
    expect(value(root, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID')).toBe('INV-2026-000001');
    expect(value(root, 'cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate')).toBe('2026-01-05');
    expect(count(root, 'cac:InvoiceLine')).toBe(0);
    expect(value(root, "cac:CreditNoteLine/cbc:CreditedQuantity[@unitCode='DAY']")).toBe('11132500');
    expect(value(root, 'cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('713700.00');
  });

  it('leaves out optional data that is blank instead of writing empty elements', () => {
    const doc: BillingDocument = {
      ...fullYearInvoice,
      note: '  ',
      buyer: { ...fullYearInvoice.buyer, contact: { name: '', email: undefined }, companyId: '' },
      payment: { ...fullYearInvoice.payment, bic: undefined },
    };
    const xml = renderUbl(doc);
    expect(checkEInvoice(xml)).toEqual([]);
    const root = parse(xml);
    expect(count(root, 'cbc:Note')).toBe(0);
    expect(count(root, 'cac:AccountingCustomerParty/cac:Party/cac:Contact')).toBe(0);
    expect(count(root, '//cac:FinancialInstitutionBranch')).toBe(0);
  });

  it('escapes names that contain markup characters', () => {
    const doc: BillingDocument = {
      ...fullYearInvoice,
      buyer: { ...fullYearInvoice.buyer, name: 'Commune <Test> & "Fils"' },
    };
    const root = parse(renderUbl(doc));
    expect(value(root, 'cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName')).toBe(
      'Commune <Test> & "Fils"',
    );
  });

  it('refuses an amount that is not a whole number of cents', () => {
    expect(() => renderUbl({ ...fullYearInvoice, totals: { ...fullYearInvoice.totals, taxCents: 0.5 } })).toThrow(
      RangeError,
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [61_000_000, '610000.00'],
    [-1234, '-12.34'],
    [-5, '-0.05'],
  ])('formats %i cents as %s', (input, expected) => {
    expect(formatAmount(input)).toBe(expected);
  });
});
