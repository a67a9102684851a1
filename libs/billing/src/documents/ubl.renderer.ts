import { create } from 'xmlbuilder2';
import type { BillingDocument, BillingDocumentLine, BillingParty, VatBreakdown, VatCategory } from './billing-document';

/** Peppol BIS Billing 3.0 specification identifier (BT-24), required verbatim by PEPPOL-EN16931-R004. */
export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
/** Peppol business process "billing" (BT-23). */
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NAMESPACES = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  'credit-note': 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** UNCL 5305 categories whose breakdown carries an exemption reason (BR-E-10, BR-O-10); S and Z must not. */
const CATEGORIES_WITH_EXEMPTION: readonly VatCategory[] = ['E', 'O'];

type XmlValue = string | XmlNode | XmlNode[] | undefined;
interface XmlNode {
  [key: string]: XmlValue;
}

/**
 * Renders an issued invoice (UBL Invoice, type code 380) or credit note (UBL CreditNote, type code 381)
 * as a Peppol BIS Billing 3.0 e-invoice. Elements are emitted in the order of the UBL 2.1 schemas and
 * optional elements without a value are left out, so that the document never holds an empty element
 * (PEPPOL-EN16931-R008).
 */
export function renderUbl(doc: BillingDocument): string {
  const creditNote = doc.kind === 'credit-note';
  const notSubjectToVat = doc.vat.some((breakdown) => breakdown.category === 'O');
  const root: XmlNode = {
    '@xmlns': NAMESPACES[doc.kind],
    '@xmlns:cac': NAMESPACES.cac,
    '@xmlns:cbc': NAMESPACES.cbc,
    'cbc:CustomizationID': PEPPOL_CUSTOMIZATION_ID,
    'cbc:ProfileID': PEPPOL_PROFILE_ID,
    'cbc:ID': doc.number,
    'cbc:IssueDate': doc.issueDate,
    // A UBL CreditNote has no DueDate: its due date goes into PaymentMeans (BT-9).
    'cbc:DueDate': creditNote ? undefined : doc.dueDate,
    [creditNote ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode']: creditNote ? '381' : '380',
    'cbc:Note': doc.note,
    'cbc:DocumentCurrencyCode': doc.currency,
    'cbc:BuyerReference': doc.buyerReference,
    'cac:InvoicePeriod': period(doc.period),
    'cac:BillingReference': doc.precedingInvoice && {
      'cac:InvoiceDocumentReference': {
        'cbc:ID': doc.precedingInvoice.number,
        'cbc:IssueDate': doc.precedingInvoice.issueDate,
      },
    },
    // BR-O-02: a document not subject to VAT names no VAT identifier for either party.
    'cac:AccountingSupplierParty': { 'cac:Party': party(doc.seller, !notSubjectToVat) },
    'cac:AccountingCustomerParty': { 'cac:Party': party(doc.buyer, !notSubjectToVat) },
    'cac:PaymentMeans': {
      'cbc:PaymentMeansCode': doc.payment.meansCode,
      'cbc:PaymentDueDate': creditNote ? doc.dueDate : undefined,
      'cbc:PaymentID': doc.payment.reference,
      'cac:PayeeFinancialAccount': {
        'cbc:ID': doc.payment.iban.replace(/\s+/g, ''),
        'cbc:Name': doc.payment.accountName,
        'cac:FinancialInstitutionBranch': { 'cbc:ID': doc.payment.bic },
      },
    },
    'cac:PaymentTerms': { 'cbc:Note': doc.payment.terms },
    'cac:TaxTotal': {
      'cbc:TaxAmount': amount(doc.totals.taxCents, doc.currency),
      'cac:TaxSubtotal': doc.vat.map((breakdown) => taxSubtotal(breakdown, doc.currency)),
    },
    'cac:LegalMonetaryTotal': {
      'cbc:LineExtensionAmount': amount(doc.totals.lineNetCents, doc.currency),
      'cbc:TaxExclusiveAmount': amount(doc.totals.taxExclusiveCents, doc.currency),
      'cbc:TaxInclusiveAmount': amount(doc.totals.taxInclusiveCents, doc.currency),
      'cbc:PayableAmount': amount(doc.totals.payableCents, doc.currency),
    },
    [creditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine']: doc.lines.map((line) =>
      documentLine(line, doc.currency, creditNote),
    ),
  };
  const rootName = creditNote ? 'CreditNote' : 'Invoice';
  return create({ version: '1.0', encoding: 'UTF-8' }, { [rootName]: prune(root) as XmlNode }).end({
    prettyPrint: true,
  });
}

/** Integer cents as a decimal amount with exactly two decimals, e.g. 61000000 -> "610000.00". */
export function formatAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`An amount must be a whole number of cents, got ${cents}`);
  }
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

function amount(cents: number, currency: string): XmlNode {
  return { '@currencyID': currency, '#': formatAmount(cents) };
}

function period(range: { start: string; end: string }): XmlNode {
  return { 'cbc:StartDate': range.start, 'cbc:EndDate': range.end };
}

function party(subject: BillingParty, withVatId: boolean): XmlNode {
  const [street, additionalStreet, ...moreLines] = subject.address.lines;
  return {
    'cbc:EndpointID': { '@schemeID': subject.endpoint.scheme, '#': subject.endpoint.id },
    'cac:PostalAddress': {
      'cbc:StreetName': street,
      'cbc:AdditionalStreetName': additionalStreet,
      'cbc:CityName': subject.address.city,
      'cbc:PostalZone': subject.address.postalCode,
      // BT-162 is a single line: whatever does not fit the two street fields is kept there.
      'cac:AddressLine': { 'cbc:Line': moreLines.join(', ') },
      'cac:Country': { 'cbc:IdentificationCode': subject.address.countryCode },
    },
    'cac:PartyTaxScheme': withVatId && subject.vatId ? taxScheme(subject.vatId) : undefined,
    'cac:PartyLegalEntity': {
      'cbc:RegistrationName': subject.name,
      'cbc:CompanyID': subject.companyId,
    },
    'cac:Contact': subject.contact && {
      'cbc:Name': subject.contact.name,
      'cbc:Telephone': subject.contact.phone,
      'cbc:ElectronicMail': subject.contact.email,
    },
  };
}

function taxScheme(vatId: string): XmlNode {
  return { 'cbc:CompanyID': vatId.replace(/\s+/g, ''), 'cac:TaxScheme': { 'cbc:ID': 'VAT' } };
}

function taxCategory(category: VatCategory, rate: number): XmlNode {
  return {
    'cbc:ID': category,
    // BR-O-05 and BR-O-09: "not subject to VAT" carries no rate at all, every other category does.
    'cbc:Percent': category === 'O' ? undefined : formatPercent(rate),
  };
}

function taxSubtotal(breakdown: VatBreakdown, currency: string): XmlNode {
  const exemption = CATEGORIES_WITH_EXEMPTION.includes(breakdown.category);
  return {
    'cbc:TaxableAmount': amount(breakdown.taxableCents, currency),
    'cbc:TaxAmount': amount(breakdown.taxCents, currency),
    'cac:TaxCategory': {
      ...taxCategory(breakdown.category, breakdown.rate),
      'cbc:TaxExemptionReasonCode': exemption ? breakdown.exemptionReasonCode : undefined,
      'cbc:TaxExemptionReason': exemption ? breakdown.exemptionReason : undefined,
      'cac:TaxScheme': { 'cbc:ID': 'VAT' },
    },
  };
}

function documentLine(line: BillingDocumentLine, currency: string, creditNote: boolean): XmlNode {
  const quantity = { '@unitCode': line.unitCode, '#': String(line.quantity) };
  return {
    'cbc:ID': line.id,
    [creditNote ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity']: quantity,
    'cbc:LineExtensionAmount': amount(line.netCents, currency),
    'cac:InvoicePeriod': period(line.period),
    'cac:Item': {
      'cbc:Name': line.description,
      'cac:ClassifiedTaxCategory': {
        ...taxCategory(line.vatCategory, line.vatRate),
        'cac:TaxScheme': { 'cbc:ID': 'VAT' },
      },
    },
    // PEPPOL-EN16931-R120: net = quantity x price / base quantity, the pro rata by inhabitant-days.
    'cac:Price': {
      'cbc:PriceAmount': amount(line.priceCents, currency),
      'cbc:BaseQuantity': { '@unitCode': line.unitCode, '#': String(line.priceBaseQuantity) },
    },
  };
}

function formatPercent(rate: number): string {
  if (!Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`A VAT rate must be a percentage, got ${rate}`);
  }
  return String(rate);
}

/**
 * Drops every value that would render as an empty element: undefined, blank text, and nodes left with
 * attributes only or with no content at all.
 */
function prune(value: XmlValue): XmlValue {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (Array.isArray(value)) {
    const items = value.map((item) => prune(item)).filter((item): item is XmlNode => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  const node: XmlNode = {};
  let content = false;
  for (const [key, child] of Object.entries(value)) {
    const kept = prune(child);
    if (kept === undefined) continue;
    node[key] = kept;
    if (!key.startsWith('@')) content = true;
  }
  return content ? node : undefined;
}
