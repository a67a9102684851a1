import { checkEInvoice } from '../../../../test/support/einvoice-rules';
import type { BillingDocument } from './billing-document';
import {
  creditNote,
  exemptInvoice,
  fullYearInvoice,
  notSubjectInvoice,
  proRataInvoice,
} from './billing-document.fixtures';
import { renderUbl } from './ubl.renderer';

/** The ids of the rules a document violates. */
function rules(xml: string): string[] {
  return [...new Set(checkEInvoice(xml).map((violation) => violation.rule))].sort();
}

/** Replaces exactly one occurrence, so that a broken fixture cannot silently stay valid. */
function replaceOnce(xml: string, search: string | RegExp, replacement: string): string {
  const matches =
    typeof search === 'string' ? xml.split(search).length - 1 : (xml.match(new RegExp(search, 'g')) ?? []).length;
  if (matches !== 1) throw new Error(`expected one match of ${String(search)}, found ${matches}`);
  return xml.replace(search, replacement);
}

/** One line of 0.50 EUR at 17 %: the VAT, 0.085 EUR, sits exactly on half a cent. */
function halfCentInvoice(taxCents: number): BillingDocument {
  return {
    ...fullYearInvoice,
    lines: [
      { ...fullYearInvoice.lines[0], quantity: 1, unitCode: 'C62', priceCents: 50, priceBaseQuantity: 1, netCents: 50 },
    ],
    vat: [{ category: 'S', rate: 17, taxableCents: 50, taxCents }],
    totals: {
      lineNetCents: 50,
      taxExclusiveCents: 50,
      taxCents,
      taxInclusiveCents: 50 + taxCents,
      payableCents: 50 + taxCents,
    },
  };
}

describe('checkEInvoice', () => {
  const invoice = renderUbl(fullYearInvoice);

  it('accepts every rendered fixture', () => {
    for (const doc of [fullYearInvoice, exemptInvoice, proRataInvoice, notSubjectInvoice, creditNote]) {
      expect(checkEInvoice(renderUbl(doc))).toEqual([]);
    }
  });

  describe('totals', () => {
    it('catches a payable amount that does not add up (BR-CO-16)', () => {
      expect(
        rules(
          replaceOnce(
            invoice,
            '<cbc:PayableAmount currencyID="EUR">713700.00<',
            '<cbc:PayableAmount currencyID="EUR">713700.01<',
          ),
        ),
      ).toEqual(['BR-CO-16']);
    });

    it('catches a sum of lines that differs from the line total (BR-CO-10, BR-CO-13)', () => {
      const broken = replaceOnce(
        invoice,
        '<cbc:LineExtensionAmount currencyID="EUR">610000.00</cbc:LineExtensionAmount>\n    <cbc:TaxExclusiveAmount',
        '<cbc:LineExtensionAmount currencyID="EUR">609000.00</cbc:LineExtensionAmount>\n    <cbc:TaxExclusiveAmount',
      );
      expect(rules(broken)).toEqual(['BR-CO-10', 'BR-CO-13']);
    });

    it('catches a VAT total that differs from its breakdown and a breakdown that is not taxable x rate (BR-CO-14, BR-CO-17)', () => {
      const broken = replaceOnce(
        invoice,
        /<cbc:TaxAmount currencyID="EUR">103700.00<\/cbc:TaxAmount>\s*<cac:TaxCategory>/,
        '<cbc:TaxAmount currencyID="EUR">103699.00</cbc:TaxAmount><cac:TaxCategory>',
      );
      expect(rules(broken)).toEqual(['BR-CO-14', 'BR-CO-17']);
    });

    it('catches a total with VAT that is not the total without VAT plus VAT (BR-CO-15)', () => {
      const broken = invoice.replace(
        '<cbc:TaxInclusiveAmount currencyID="EUR">713700.00<',
        '<cbc:TaxInclusiveAmount currencyID="EUR">713600.00<',
      );
      expect(rules(broken)).toEqual(['BR-CO-15', 'BR-CO-16']);
    });

    it('accepts either rounding of an exact half cent of VAT and nothing further off (BR-CO-17)', () => {
      expect(rules(renderUbl(halfCentInvoice(8)))).toEqual([]);
      expect(rules(renderUbl(halfCentInvoice(9)))).toEqual([]);
      expect(rules(renderUbl(halfCentInvoice(10)))).toEqual(['BR-CO-17']);
    });

    it('catches a line whose net is not quantity x price / base quantity (PEPPOL-EN16931-R120)', () => {
      const broken = renderUbl({
        ...fullYearInvoice,
        lines: [{ ...fullYearInvoice.lines[0], priceBaseQuantity: 366 }],
      });
      expect(rules(broken)).toEqual(['PEPPOL-EN16931-R120']);
    });

    it('catches amounts with more than two decimals (BR-DEC)', () => {
      const broken = replaceOnce(
        invoice,
        '<cbc:PayableAmount currencyID="EUR">713700.00<',
        '<cbc:PayableAmount currencyID="EUR">713700.001<',
      );
      expect(rules(broken)).toContain('BR-DEC-18');
    });

    it('catches an amount in another currency than the document (PEPPOL-EN16931-R051)', () => {
      const broken = replaceOnce(
        invoice,
        '<cbc:PayableAmount currencyID="EUR">',
        '<cbc:PayableAmount currencyID="USD">',
      );
      expect(rules(broken)).toEqual(['PEPPOL-EN16931-R051']);
    });

    it('catches a second tax total with subtotals (PEPPOL-EN16931-R053)', () => {
      const taxTotal = /<cac:TaxTotal>[\s\S]*<\/cac:TaxTotal>/.exec(invoice)![0];
      expect(rules(invoice.replace(taxTotal, taxTotal + taxTotal))).toContain('PEPPOL-EN16931-R053');
    });
  });

  describe('mandatory elements', () => {
    it('catches an empty element (PEPPOL-EN16931-R008)', () => {
      const broken = replaceOnce(
        invoice,
        '<cbc:DocumentCurrencyCode>',
        '<cbc:Note></cbc:Note><cbc:DocumentCurrencyCode>',
      );
      expect(checkEInvoice(broken)).toEqual([
        { rule: 'PEPPOL-EN16931-R008', message: 'Document MUST not contain empty elements: /Invoice/cbc:Note' },
      ]);
    });

    it('catches a missing buyer electronic address (PEPPOL-EN16931-R010)', () => {
      const broken = replaceOnce(invoice, '<cbc:EndpointID schemeID="9938">LU15938272</cbc:EndpointID>', '');
      expect(rules(broken)).toEqual(['PEPPOL-EN16931-R010']);
    });

    it('catches a missing seller electronic address (PEPPOL-EN16931-R020)', () => {
      const broken = replaceOnce(invoice, /<cbc:EndpointID schemeID="9938">LU12345613<\/cbc:EndpointID>/, '');
      expect(rules(broken)).toEqual(['PEPPOL-EN16931-R020']);
    });

    it('catches an electronic address without scheme (BR-63) or with an unknown one (BR-CL-25)', () => {
      expect(
        rules(invoice.replace('<cbc:EndpointID schemeID="9938">LU15938272', '<cbc:EndpointID>LU15938272')),
      ).toEqual(['BR-63']);
      expect(
        rules(
          invoice.replace('<cbc:EndpointID schemeID="9938">LU15938272', '<cbc:EndpointID schemeID="1234">LU15938272'),
        ),
      ).toEqual(['BR-CL-25']);
    });

    it('catches a missing buyer reference (PEPPOL-EN16931-R003)', () => {
      expect(rules(replaceOnce(invoice, /<cbc:BuyerReference>.*<\/cbc:BuyerReference>/, ''))).toEqual([
        'PEPPOL-EN16931-R003',
      ]);
    });

    it('catches a wrong specification identifier or business process (R004, R007)', () => {
      const broken = invoice
        .replace('#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0', '')
        .replace('billing:01:1.0', 'billing:02:1.0');
      expect(rules(broken)).toEqual(['PEPPOL-EN16931-R004', 'PEPPOL-EN16931-R007']);
    });

    it('catches missing header and party data (BR-02, BR-03, BR-06, BR-11)', () => {
      const broken = invoice
        .replace(/<cbc:ID>INV-2026-000001<\/cbc:ID>/, '')
        .replace(/<cbc:IssueDate>.*<\/cbc:IssueDate>/, '')
        .replace('<cbc:RegistrationName>Syndicat intercommunal Gemeng</cbc:RegistrationName>', '')
        .replace(/(<cac:AccountingCustomerParty>[\s\S]*?)<cac:Country>[\s\S]*?<\/cac:Country>/, '$1');
      expect(rules(broken)).toEqual(['BR-02', 'BR-03', 'BR-06', 'BR-11']);
    });

    it('catches a document without lines (BR-16)', () => {
      expect(rules(invoice.replace(/<cac:InvoiceLine>[\s\S]*<\/cac:InvoiceLine>/, ''))).toEqual([
        'BR-16',
        'BR-CO-10',
        'BR-S-08',
      ]);
    });

    it('catches a line without item name (BR-25)', () => {
      expect(rules(invoice.replace(/<cbc:Name>Plateforme[^<]*<\/cbc:Name>/, ''))).toEqual(['BR-25']);
    });

    it('catches a line outside the invoice period (PEPPOL-EN16931-R110, R111)', () => {
      const broken = renderUbl({
        ...fullYearInvoice,
        lines: [{ ...fullYearInvoice.lines[0], period: { start: '2025-12-31', end: '2027-01-01' } }],
      });
      expect(rules(broken)).toEqual(['PEPPOL-EN16931-R110', 'PEPPOL-EN16931-R111']);
    });

    it('catches a credit note that references no invoice', () => {
      const broken = renderUbl({ ...creditNote, precedingInvoice: undefined });
      expect(rules(broken)).toEqual(['CREDIT-NOTE-REFERENCE']);
    });

    it('catches XML that is not well-formed or not UBL', () => {
      expect(rules(invoice.replace('</Invoice>', ''))).toEqual(['XML-WELLFORMED']);
      expect(rules('<Invoice xmlns="urn:example"/>')).toEqual(['UBL-ROOT']);
    });
  });

  describe('VAT categories', () => {
    it('catches an exempt breakdown without reason (BR-E-10)', () => {
      const broken = renderUbl({
        ...exemptInvoice,
        vat: [{ ...exemptInvoice.vat[0], exemptionReasonCode: undefined, exemptionReason: undefined }],
      });
      expect(rules(broken)).toEqual(['BR-E-10']);
    });

    it('catches an exempt line with a rate (BR-E-05) and exempt VAT that is not zero (BR-E-09)', () => {
      const broken = renderUbl({
        ...exemptInvoice,
        lines: [{ ...exemptInvoice.lines[0], vatRate: 3 }],
        vat: [{ ...exemptInvoice.vat[0], taxCents: 100 }],
        totals: { ...exemptInvoice.totals, taxCents: 100, taxInclusiveCents: 73_766_100, payableCents: 73_766_100 },
      });
      expect(rules(broken)).toEqual(['BR-CO-17', 'BR-E-05', 'BR-E-09']);
    });

    it('catches a standard rate breakdown with an exemption reason (BR-S-10)', () => {
      const broken = replaceOnce(
        invoice,
        /(<cac:TaxSubtotal>[\s\S]*?<cbc:Percent>17<\/cbc:Percent>)/,
        '$1<cbc:TaxExemptionReason>Exonéré</cbc:TaxExemptionReason>',
      );
      expect(rules(broken)).toEqual(['BR-S-10']);
    });

    it('catches standard rated VAT without the seller VAT identifier (BR-S-02)', () => {
      expect(rules(renderUbl({ ...fullYearInvoice, seller: { ...fullYearInvoice.seller, vatId: undefined } }))).toEqual(
        ['BR-S-02'],
      );
    });

    it('catches a standard rate of zero on a line (BR-S-05) and a taxable amount that is not its lines (BR-S-08)', () => {
      expect(rules(renderUbl({ ...fullYearInvoice, lines: [{ ...fullYearInvoice.lines[0], vatRate: 0 }] }))).toEqual([
        'BR-S-05',
        'BR-S-08',
      ]);
    });

    it('catches a VAT identifier on a document not subject to VAT (BR-O-02)', () => {
      const xml = renderUbl(notSubjectInvoice);
      const broken = replaceOnce(
        xml,
        /(<cac:AccountingSupplierParty>[\s\S]*?)<cac:PartyLegalEntity>/,
        '$1<cac:PartyTaxScheme><cbc:CompanyID>LU12345613</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyLegalEntity>',
      );
      expect(rules(broken)).toEqual(['BR-O-02']);
    });

    it('catches a tax scheme other than VAT', () => {
      const broken = replaceOnce(invoice, /(<cac:TaxSubtotal>[\s\S]*?<cbc:ID>)VAT(<\/cbc:ID>)/, '$1GST$2');
      expect(rules(broken)).toEqual(['UBL-TAXSCHEME']);
    });
  });

  describe('code lists', () => {
    it.each([
      ['currency (BR-CL-04)', '<cbc:DocumentCurrencyCode>EUR<', '<cbc:DocumentCurrencyCode>XEU<', 'BR-CL-04'],
      [
        'country (BR-CL-14)',
        /(<cac:AccountingCustomerParty>[\s\S]*?<cbc:IdentificationCode>)LU(<)/,
        '$1XX$2',
        'BR-CL-14',
      ],
      ['VAT category (BR-CL-17)', /(<cac:TaxCategory>\s*<cbc:ID>)S(<\/cbc:ID>)/, '$1X$2', 'BR-CL-17'],
      ['payment means (BR-CL-16)', '<cbc:PaymentMeansCode>58<', '<cbc:PaymentMeansCode>99<', 'BR-CL-16'],
      ['unit (BR-CL-23)', 'unitCode="DAY">11132500<', 'unitCode="XYZ">11132500<', 'BR-CL-23'],
      [
        'invoice type (PEPPOL-EN16931-P0100)',
        '<cbc:InvoiceTypeCode>380<',
        '<cbc:InvoiceTypeCode>381<',
        'PEPPOL-EN16931-P0100',
      ],
    ])('catches a code outside the %s list', (_what, search, replacement, rule) => {
      expect(rules(replaceOnce(invoice, search, replacement))).toContain(rule);
    });

    it('catches an exemption reason code that is not VATEX (BR-CL-22)', () => {
      expect(
        rules(renderUbl({ ...exemptInvoice, vat: [{ ...exemptInvoice.vat[0], exemptionReasonCode: 'ART-44' }] })),
      ).toEqual(['BR-CL-22']);
    });
  });
});
