import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import * as xpath from 'xpath';

/**
 * Checks a UBL 2.1 Invoice or CreditNote against the EN 16931 business rules and the Peppol BIS Billing
 * 3.0 rules that the platform's e-invoices must satisfy, and returns the violated ones by their official
 * identifiers (BR-*, BR-CO-*, BR-S/Z/E/O-*, BR-CL-*, BR-DEC-*, PEPPOL-EN16931-*). Three checks have no
 * official identifier and are named here: XML-WELLFORMED, UBL-ROOT and UBL-TAXSCHEME (every tax category
 * belongs to the VAT scheme), and CREDIT-NOTE-REFERENCE (a credit note names the invoice it corrects).
 *
 * Code lists are the subsets the platform may produce: a code outside them is reported even where the full
 * list would accept it, so that a new code is a deliberate change here.
 */

export interface RuleViolation {
  rule: string;
  message: string;
}

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS = {
  inv: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  cn: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** ISO 4217: the currencies of the EU/EEA states, Switzerland and the United Kingdom. */
const CURRENCIES = new Set(['EUR', 'BGN', 'CZK', 'DKK', 'HUF', 'PLN', 'RON', 'SEK', 'ISK', 'NOK', 'CHF', 'GBP']);
/** ISO 3166-1 alpha-2: the EU/EEA states, Switzerland and the United Kingdom. */
const COUNTRIES = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH GB'.split(' '),
);
/** UNCL 5305 as restricted by EN 16931. */
const VAT_CATEGORIES = new Set(['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M']);
/** UNCL 4461: cash, cheque, credit transfers, card, direct debits, SEPA, standing agreement. */
const PAYMENT_MEANS = new Set([
  '1',
  '10',
  '20',
  '30',
  '31',
  '42',
  '48',
  '49',
  '54',
  '55',
  '57',
  '58',
  '59',
  '68',
  'ZZZ',
]);
/** Peppol EAS: the Luxembourg, neighbouring and pan-European electronic address schemes. */
const ELECTRONIC_ADDRESS_SCHEMES = new Set([
  '0002',
  '0009',
  '0060',
  '0088',
  '0130',
  '0204',
  '0208',
  '9925',
  '9930',
  '9938',
  '9957',
  'EM',
]);
/** UN/ECE Recommendations 20 and 21: counts, time units and persons. */
const UNIT_CODES = new Set(['C62', 'H87', 'EA', 'IE', 'DAY', 'WEE', 'MON', 'ANN', 'HUR', 'LS', 'E48']);
/** VATEX: the exemption reasons of Directive 2006/112/EC and "not subject to VAT". */
const EXEMPTION_REASONS = new Set([
  'VATEX-EU-79-C',
  'VATEX-EU-132',
  ...'ABCDEFGHIJKLMNOPQ'.split('').map((letter) => `VATEX-EU-132-1${letter}`),
  'VATEX-EU-143',
  'VATEX-EU-148',
  'VATEX-EU-151',
  'VATEX-EU-309',
  'VATEX-EU-AE',
  'VATEX-EU-D',
  'VATEX-EU-F',
  'VATEX-EU-G',
  'VATEX-EU-I',
  'VATEX-EU-IC',
  'VATEX-EU-O',
  'VATEX-EU-J',
]);
/** UNCL 1001 as restricted by Peppol (PEPPOL-EN16931-P0100 and P0101). */
const TYPE_CODES = {
  Invoice: new Set([
    '71',
    '80',
    '82',
    '84',
    '102',
    '218',
    '219',
    '331',
    '380',
    '382',
    '383',
    '386',
    '388',
    '393',
    '395',
    '553',
    '575',
    '623',
    '780',
    '817',
    '870',
    '875',
    '876',
    '877',
  ]),
  CreditNote: new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']),
};
/** BR-DEC identifiers of the amounts limited to two decimals. */
const DECIMAL_RULES: Record<string, string> = {
  'cac:AllowanceCharge/cbc:Amount': 'BR-DEC-01',
  'cac:AllowanceCharge/cbc:BaseAmount': 'BR-DEC-02',
  'cac:LegalMonetaryTotal/cbc:LineExtensionAmount': 'BR-DEC-09',
  'cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount': 'BR-DEC-10',
  'cac:LegalMonetaryTotal/cbc:ChargeTotalAmount': 'BR-DEC-11',
  'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount': 'BR-DEC-12',
  'cac:TaxTotal/cbc:TaxAmount': 'BR-DEC-13',
  'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount': 'BR-DEC-14',
  'cac:LegalMonetaryTotal/cbc:PrepaidAmount': 'BR-DEC-16',
  'cac:LegalMonetaryTotal/cbc:PayableRoundingAmount': 'BR-DEC-17',
  'cac:LegalMonetaryTotal/cbc:PayableAmount': 'BR-DEC-18',
  'cac:TaxSubtotal/cbc:TaxableAmount': 'BR-DEC-19',
  'cac:TaxSubtotal/cbc:TaxAmount': 'BR-DEC-20',
  'cac:InvoiceLine/cbc:LineExtensionAmount': 'BR-DEC-23',
  'cac:CreditNoteLine/cbc:LineExtensionAmount': 'BR-DEC-23',
};
/** The amounts whose currency must be the document's (PEPPOL-EN16931-R051). */
const CURRENCY_AMOUNTS = [
  'Amount',
  'BaseAmount',
  'PriceAmount',
  'TaxableAmount',
  'LineExtensionAmount',
  'TaxExclusiveAmount',
  'TaxInclusiveAmount',
  'AllowanceTotalAmount',
  'ChargeTotalAmount',
  'PrepaidAmount',
  'PayableRoundingAmount',
  'PayableAmount',
];

const select = xpath.useNamespaces(NS);

/** A decimal as an exact fraction, so that no rule is decided by floating-point rounding. */
interface Fraction {
  n: bigint;
  d: bigint;
}

function fraction(value: string | undefined): Fraction | undefined {
  const match = value === undefined ? null : /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return undefined;
  const decimals = match[3] ?? '';
  const n = BigInt(match[2] + decimals) * (match[1] === '-' ? -1n : 1n);
  return { n, d: 10n ** BigInt(decimals.length) };
}

function sameRate(left: string | undefined, right: string | undefined): boolean {
  const a = fraction(left ?? '0');
  const b = fraction(right ?? '0');
  return a !== undefined && b !== undefined && a.n * b.d === b.n * a.d;
}

function decimals(value: string): number {
  return value.includes('.') ? value.length - value.indexOf('.') - 1 : 0;
}

/** An amount in cents; undefined when absent or not a number with at most two decimals. */
function cents(value: string | undefined): bigint | undefined {
  const parsed = fraction(value);
  if (!parsed || parsed.d > 100n) return undefined;
  return (parsed.n * 100n) / parsed.d;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function formatCents(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const absolute = abs(value);
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

function elements(expression: string, context: Node): Element[] {
  return select(expression, context as never) as unknown as Element[];
}

function element(expression: string, context: Node): Element | undefined {
  return elements(expression, context)[0];
}

function text(expression: string, context: Node): string | undefined {
  const found = element(expression, context);
  const value = found?.textContent?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function path(node: Element): string {
  const parts: string[] = [];
  for (let current: Node | null = node; current && current.nodeType === 1; current = current.parentNode) {
    parts.unshift((current as Element).nodeName);
  }
  return `/${parts.join('/')}`;
}

/** Checks one UBL e-invoice; an empty list means that none of the rules checked here is violated. */
export function checkEInvoice(xml: string): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const fail = (rule: string, message: string): void => {
    violations.push({ rule, message });
  };

  const parseErrors: string[] = [];
  let root: Element | null = null;
  try {
    const document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') parseErrors.push(message);
      },
    }).parseFromString(xml, 'application/xml');
    root = document.documentElement;
  } catch (error) {
    parseErrors.push((error as Error).message);
  }
  if (parseErrors.length > 0 || !root) {
    fail('XML-WELLFORMED', `The document is not well-formed XML: ${parseErrors.join('; ')}`);
    return violations;
  }
  const kind =
    root.localName === 'Invoice' && root.namespaceURI === NS.inv
      ? 'Invoice'
      : root.localName === 'CreditNote' && root.namespaceURI === NS.cn
        ? 'CreditNote'
        : undefined;
  if (!kind) {
    fail(
      'UBL-ROOT',
      `The root element must be a UBL 2.1 Invoice or CreditNote, got {${root.namespaceURI}}${root.localName}`,
    );
    return violations;
  }
  const typeCodes = TYPE_CODES[kind];
  const lineName = kind === 'Invoice' ? 'cac:InvoiceLine' : 'cac:CreditNoteLine';
  const quantityName = kind === 'Invoice' ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity';

  for (const empty of elements('//*[not(*) and not(normalize-space())]', root)) {
    fail('PEPPOL-EN16931-R008', `Document MUST not contain empty elements: ${path(empty)}`);
  }

  checkHeader();
  checkParties();
  const lines = checkLines();
  checkTotals(lines);
  checkVat(lines);
  checkPayment();
  checkAmountFormats();
  return violations;

  function required(rule: string, expression: string, what: string, context: Node = root!): string | undefined {
    const value = text(expression, context);
    if (value === undefined) fail(rule, `${what} is missing (${expression})`);
    return value;
  }

  function checkHeader(): void {
    const customization = required('BR-01', 'cbc:CustomizationID', 'The specification identifier (BT-24)');
    if (customization !== undefined && customization !== PEPPOL_CUSTOMIZATION_ID) {
      fail('PEPPOL-EN16931-R004', `Specification identifier MUST be ${PEPPOL_CUSTOMIZATION_ID}, got ${customization}`);
    }
    const profile = required('PEPPOL-EN16931-R001', 'cbc:ProfileID', 'The business process (BT-23)');
    if (profile !== undefined && profile !== PEPPOL_PROFILE_ID) {
      fail('PEPPOL-EN16931-R007', `Business process MUST be ${PEPPOL_PROFILE_ID}, got ${profile}`);
    }
    required('BR-02', 'cbc:ID', 'The invoice number (BT-1)');
    required('BR-03', 'cbc:IssueDate', 'The issue date (BT-2)');
    const typeCode = required(
      'BR-04',
      kind === 'Invoice' ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode',
      'The type code (BT-3)',
    );
    if (typeCode !== undefined && !typeCodes.has(typeCode)) {
      fail(
        kind === 'Invoice' ? 'PEPPOL-EN16931-P0100' : 'PEPPOL-EN16931-P0101',
        `Type code ${typeCode} is not allowed in a ${kind}`,
      );
    }
    const currency = required('BR-05', 'cbc:DocumentCurrencyCode', 'The invoice currency code (BT-5)');
    if (currency !== undefined && !CURRENCIES.has(currency))
      fail('BR-CL-04', `Currency ${currency} is not an ISO 4217 code`);
    if (elements('cbc:Note', root!).length > 1)
      fail('PEPPOL-EN16931-R002', 'No more than one note is allowed on document level');
    if (text('cbc:BuyerReference', root!) === undefined && text('cac:OrderReference/cbc:ID', root!) === undefined) {
      fail('PEPPOL-EN16931-R003', 'A buyer reference or purchase order reference MUST be provided');
    }
    checkPeriod(element('cac:InvoicePeriod', root!), 'BR-29', 'BR-CO-19');
    for (const reference of elements('cac:BillingReference', root!)) {
      required('BR-55', 'cac:InvoiceDocumentReference/cbc:ID', 'The preceding invoice reference (BT-25)', reference);
    }
    if (
      kind === 'CreditNote' &&
      text('cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID', root!) === undefined
    ) {
      fail('CREDIT-NOTE-REFERENCE', 'A credit note must reference the invoice it corrects (BT-25)');
    }
  }

  function checkPeriod(period: Element | undefined, orderRule: string, presenceRule: string): void {
    if (!period) return;
    const start = text('cbc:StartDate', period);
    const end = text('cbc:EndDate', period);
    if (start === undefined && end === undefined)
      fail(presenceRule, `${path(period)} has neither a start nor an end date`);
    if (start !== undefined && end !== undefined && end < start)
      fail(orderRule, `${path(period)} ends (${end}) before it starts (${start})`);
  }

  function checkParties(): void {
    const parties = [
      {
        role: 'Seller',
        party: element('cac:AccountingSupplierParty/cac:Party', root!),
        name: 'BR-06',
        address: 'BR-08',
        country: 'BR-09',
        endpoint: 'PEPPOL-EN16931-R020',
        scheme: 'BR-62',
      },
      {
        role: 'Buyer',
        party: element('cac:AccountingCustomerParty/cac:Party', root!),
        name: 'BR-07',
        address: 'BR-10',
        country: 'BR-11',
        endpoint: 'PEPPOL-EN16931-R010',
        scheme: 'BR-63',
      },
    ];
    for (const { role, party, ...rules } of parties) {
      if (!party) {
        fail(rules.name, `${role} party is missing`);
        continue;
      }
      required(rules.name, 'cac:PartyLegalEntity/cbc:RegistrationName', `${role} name`, party);
      const endpoint = element('cbc:EndpointID', party);
      if (!endpoint || !endpoint.textContent?.trim()) {
        fail(rules.endpoint, `${role} electronic address MUST be provided`);
      } else {
        const scheme = endpoint.getAttribute('schemeID');
        if (!scheme) fail(rules.scheme, `${role} electronic address has no scheme identifier`);
        else if (!ELECTRONIC_ADDRESS_SCHEMES.has(scheme))
          fail('BR-CL-25', `${role} electronic address scheme ${scheme} is not an EAS code`);
      }
      const address = element('cac:PostalAddress', party);
      if (!address) {
        fail(rules.address, `${role} postal address is missing`);
      } else {
        const country = required(rules.country, 'cac:Country/cbc:IdentificationCode', `${role} country code`, address);
        if (country !== undefined && !COUNTRIES.has(country))
          fail('BR-CL-14', `${role} country ${country} is not an ISO 3166-1 alpha-2 code`);
      }
      for (const vatId of elements(
        "cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID",
        party,
      )) {
        const prefix = (vatId.textContent ?? '').trim().slice(0, 2);
        if (!COUNTRIES.has(prefix) && prefix !== 'EL')
          fail('BR-CO-09', `${role} VAT identifier ${vatId.textContent} lacks its country prefix`);
      }
    }
    const seller = parties[0].party;
    if (
      seller &&
      text('cac:PartyIdentification/cbc:ID', seller) === undefined &&
      text('cac:PartyLegalEntity/cbc:CompanyID', seller) === undefined &&
      text("cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID", seller) === undefined
    ) {
      fail('BR-CO-26', 'The seller needs an identifier, a legal registration identifier or a VAT identifier');
    }
  }

  interface Line {
    id: string;
    net?: bigint;
    category?: string;
    percent?: string;
  }

  function checkLines(): Line[] {
    const lines = elements(lineName, root!);
    if (lines.length === 0) fail('BR-16', 'An invoice shall have at least one line');
    return lines.map((line, index) => {
      const id = required('BR-21', 'cbc:ID', `Line ${index + 1} identifier`, line) ?? String(index + 1);
      const quantityElement = element(quantityName, line);
      const quantity = required('BR-22', quantityName, `Line ${id} quantity`, line);
      const unit = quantityElement?.getAttribute('unitCode');
      if (!unit) fail('BR-23', `Line ${id} quantity has no unit code`);
      else if (!UNIT_CODES.has(unit))
        fail('BR-CL-23', `Line ${id} unit ${unit} is not a UN/ECE Recommendation 20/21 code`);
      const net = required('BR-24', 'cbc:LineExtensionAmount', `Line ${id} net amount`, line);
      required('BR-25', 'cac:Item/cbc:Name', `Line ${id} item name`, line);
      const price = required('BR-26', 'cac:Price/cbc:PriceAmount', `Line ${id} net price`, line);
      if (price !== undefined && fraction(price) !== undefined && fraction(price)!.n < 0n)
        fail('BR-27', `Line ${id} net price is negative`);
      const category = text('cac:Item/cac:ClassifiedTaxCategory/cbc:ID', line);
      if (category === undefined) fail('BR-CO-04', `Line ${id} has no VAT category`);
      else if (!VAT_CATEGORIES.has(category))
        fail('BR-CL-18', `Line ${id} VAT category ${category} is not a UNCL 5305 code`);
      checkPeriod(element('cac:InvoicePeriod', line), 'BR-30', 'BR-CO-20');
      checkLinePeriodWithin(line, id);

      const baseElement = element('cac:Price/cbc:BaseQuantity', line);
      const base = fraction(baseElement?.textContent?.trim() ?? '1');
      if (baseElement && (!base || base.n <= 0n))
        fail('PEPPOL-EN16931-R121', `Line ${id} base quantity MUST be a positive number above zero`);
      const baseUnit = baseElement?.getAttribute('unitCode');
      if (baseUnit && unit && baseUnit !== unit)
        fail(
          'PEPPOL-EN16931-R130',
          `Line ${id} price base quantity unit ${baseUnit} differs from the quantity's ${unit}`,
        );
      const parsedQuantity = fraction(quantity);
      const parsedPrice = fraction(price);
      const netCents = cents(net);
      if (parsedQuantity && parsedPrice && base && base.n > 0n && netCents !== undefined) {
        const charges = sumAllowances(line, true);
        const allowances = sumAllowances(line, false);
        // |net - (q x p / b + charges - allowances)| <= 0.02, in exact integer arithmetic over cents.
        const scale = parsedQuantity.d * parsedPrice.d * base.n;
        const expected = parsedQuantity.n * parsedPrice.n * 100n * base.d + (charges - allowances) * scale;
        if (abs(netCents * scale - expected) > 2n * scale) {
          fail(
            'PEPPOL-EN16931-R120',
            `Line ${id} net amount ${net} MUST equal quantity ${quantity} x price ${price} / base quantity ${baseElement?.textContent ?? '1'}`,
          );
        }
      }
      for (const charge of elements(
        "cac:Price/cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='true']",
        line,
      )) {
        fail('PEPPOL-EN16931-R044', `Charge on price level is NOT allowed: ${path(charge)}`);
      }
      return { id, net: netCents, category, percent: text('cac:Item/cac:ClassifiedTaxCategory/cbc:Percent', line) };
    });
  }

  function checkLinePeriodWithin(line: Element, id: string): void {
    const start = text('cac:InvoicePeriod/cbc:StartDate', root!);
    const end = text('cac:InvoicePeriod/cbc:EndDate', root!);
    const lineStart = text('cac:InvoicePeriod/cbc:StartDate', line);
    const lineEnd = text('cac:InvoicePeriod/cbc:EndDate', line);
    if (start !== undefined && lineStart !== undefined && lineStart < start)
      fail('PEPPOL-EN16931-R110', `Line ${id} starts (${lineStart}) before the invoice period (${start})`);
    if (end !== undefined && lineEnd !== undefined && lineEnd > end)
      fail('PEPPOL-EN16931-R111', `Line ${id} ends (${lineEnd}) after the invoice period (${end})`);
  }

  function sumAllowances(context: Element, charge: boolean): bigint {
    return elements(`cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)='${String(charge)}']`, context).reduce(
      (sum, item) => {
        const base = fraction(text('cbc:BaseAmount', item));
        const percent = fraction(text('cbc:MultiplierFactorNumeric', item));
        const amount = cents(text('cbc:Amount', item));
        if (base && percent && amount !== undefined) {
          // R040: amount = base x percent / 100 within 0.02.
          const scale = base.d * percent.d;
          if (abs(amount * scale - base.n * percent.n) > 2n * scale)
            fail('PEPPOL-EN16931-R040', `${path(item)} amount MUST equal base amount x percentage / 100`);
        }
        return sum + (amount ?? 0n);
      },
      0n,
    );
  }

  function total(name: string, rule?: string): bigint | undefined {
    const value = rule
      ? required(rule, `cac:LegalMonetaryTotal/cbc:${name}`, `The ${name}`)
      : text(`cac:LegalMonetaryTotal/cbc:${name}`, root!);
    return cents(value);
  }

  function taxTotalWithSubtotals(): Element[] {
    return elements('cac:TaxTotal[cac:TaxSubtotal]', root!);
  }

  function checkTotals(lines: Line[]): void {
    const lineExtension = total('LineExtensionAmount', 'BR-12');
    const taxExclusive = total('TaxExclusiveAmount', 'BR-13');
    const taxInclusive = total('TaxInclusiveAmount', 'BR-14');
    const payable = total('PayableAmount', 'BR-15');
    const allowanceTotal = total('AllowanceTotalAmount');
    const chargeTotal = total('ChargeTotalAmount');
    const prepaid = total('PrepaidAmount') ?? 0n;
    const rounding = total('PayableRoundingAmount') ?? 0n;

    const withSubtotals = taxTotalWithSubtotals();
    if (withSubtotals.length !== 1)
      fail(
        'PEPPOL-EN16931-R053',
        `Only one tax total with tax subtotals MUST be provided, found ${withSubtotals.length}`,
      );
    const withoutSubtotals = elements('cac:TaxTotal[not(cac:TaxSubtotal)]', root!).length;
    const expectedWithout = text('cbc:TaxCurrencyCode', root!) === undefined ? 0 : 1;
    if (withoutSubtotals !== expectedWithout)
      fail('PEPPOL-EN16931-R054', `Expected ${expectedWithout} tax total without subtotals, found ${withoutSubtotals}`);

    const lineSum = lines.reduce((sum, line) => sum + (line.net ?? 0n), 0n);
    if (lineExtension !== undefined && lineSum !== lineExtension) {
      fail(
        'BR-CO-10',
        `Sum of line net amounts ${formatCents(lineSum)} differs from LineExtensionAmount ${formatCents(lineExtension)}`,
      );
    }
    const allowances = sumAllowances(root!, false);
    const charges = sumAllowances(root!, true);
    if ((allowanceTotal ?? 0n) !== allowances)
      fail(
        'BR-CO-11',
        `AllowanceTotalAmount differs from the sum of document level allowances ${formatCents(allowances)}`,
      );
    if ((chargeTotal ?? 0n) !== charges)
      fail('BR-CO-12', `ChargeTotalAmount differs from the sum of document level charges ${formatCents(charges)}`);
    if (
      lineExtension !== undefined &&
      taxExclusive !== undefined &&
      taxExclusive !== lineExtension - (allowanceTotal ?? 0n) + (chargeTotal ?? 0n)
    ) {
      fail(
        'BR-CO-13',
        `TaxExclusiveAmount ${formatCents(taxExclusive)} MUST equal LineExtensionAmount - allowances + charges`,
      );
    }
    const taxTotal = withSubtotals[0];
    const tax = taxTotal ? cents(text('cbc:TaxAmount', taxTotal)) : undefined;
    if (taxTotal) {
      const subtotalSum = elements('cac:TaxSubtotal', taxTotal).reduce(
        (sum, subtotal) => sum + (cents(text('cbc:TaxAmount', subtotal)) ?? 0n),
        0n,
      );
      if (tax === undefined || tax !== subtotalSum)
        fail(
          'BR-CO-14',
          `Invoice total VAT amount MUST equal the sum of VAT category tax amounts ${formatCents(subtotalSum)}`,
        );
    }
    if (taxExclusive !== undefined && taxInclusive !== undefined && taxInclusive !== taxExclusive + (tax ?? 0n)) {
      fail(
        'BR-CO-15',
        `TaxInclusiveAmount ${formatCents(taxInclusive)} MUST equal TaxExclusiveAmount + VAT ${formatCents(taxExclusive + (tax ?? 0n))}`,
      );
    }
    if (taxInclusive !== undefined && payable !== undefined && payable !== taxInclusive - prepaid + rounding) {
      fail(
        'BR-CO-16',
        `PayableAmount ${formatCents(payable)} MUST equal TaxInclusiveAmount - PrepaidAmount + PayableRoundingAmount`,
      );
    }
    if (payable !== undefined && payable > 0n) {
      const dueDate =
        kind === 'Invoice' ? text('cbc:DueDate', root!) : text('cac:PaymentMeans/cbc:PaymentDueDate', root!);
      if (dueDate === undefined && text('cac:PaymentTerms/cbc:Note', root!) === undefined) {
        fail('BR-CO-25', 'An amount due for payment needs a payment due date or payment terms');
      }
    }
  }

  function checkVat(lines: Line[]): void {
    const subtotals = elements('cac:TaxTotal/cac:TaxSubtotal', root!).map((subtotal) => ({
      element: subtotal,
      taxable: cents(text('cbc:TaxableAmount', subtotal)),
      tax: cents(text('cbc:TaxAmount', subtotal)),
      category: text('cac:TaxCategory/cbc:ID', subtotal),
      percent: text('cac:TaxCategory/cbc:Percent', subtotal),
      exemption:
        text('cac:TaxCategory/cbc:TaxExemptionReasonCode', subtotal) ??
        text('cac:TaxCategory/cbc:TaxExemptionReason', subtotal),
      exemptionCode: text('cac:TaxCategory/cbc:TaxExemptionReasonCode', subtotal),
    }));
    if (subtotals.length === 0) fail('BR-CO-18', 'An invoice shall have at least one VAT breakdown');

    for (const scheme of elements(
      '//cac:TaxCategory/cac:TaxScheme | //cac:ClassifiedTaxCategory/cac:TaxScheme',
      root!,
    )) {
      if (text('cbc:ID', scheme) !== 'VAT') fail('UBL-TAXSCHEME', `${path(scheme)} must be the VAT scheme`);
    }

    const seller = element('cac:AccountingSupplierParty/cac:Party', root!);
    const sellerVat = seller
      ? text("cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID", seller)
      : undefined;
    const sellerTaxRegistration = seller ? text('cac:PartyTaxScheme/cbc:CompanyID', seller) : undefined;
    const representativeVat = text(
      "cac:TaxRepresentativeParty/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID",
      root!,
    );
    const buyerVat = text(
      "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID)='VAT']/cbc:CompanyID",
      root!,
    );
    const documentAllowances = elements('cac:AllowanceCharge', root!);

    for (const subtotal of subtotals) {
      const where = path(subtotal.element);
      const { category, percent } = subtotal;
      if (category === undefined) {
        fail('BR-CL-17', `${where} has no VAT category`);
        continue;
      }
      if (!VAT_CATEGORIES.has(category)) fail('BR-CL-17', `${where} category ${category} is not a UNCL 5305 code`);
      if (subtotal.exemptionCode !== undefined && !EXEMPTION_REASONS.has(subtotal.exemptionCode)) {
        fail('BR-CL-22', `Exemption reason code ${subtotal.exemptionCode} is not a VATEX code`);
      }
      const rate = fraction(percent ?? '0');
      if (subtotal.taxable !== undefined && subtotal.tax !== undefined && rate) {
        // Rounded to two decimals, either way on an exact half cent: |tax x 100 - taxable x rate| <= 50 (cent-percent).
        const difference = abs(subtotal.tax * 100n * rate.d - subtotal.taxable * rate.n);
        if (difference * 2n > 100n * rate.d)
          fail('BR-CO-17', `${where} tax amount ${formatCents(subtotal.tax)} MUST equal taxable amount x rate / 100`);
      }
      if (!['S', 'Z', 'E', 'O'].includes(category)) continue;
      const prefix = `BR-${category}`;
      // BR-x-08: the taxable amount is the sum of the lines (and document allowances/charges) of that category and rate.
      const sameGroup = (itemCategory: string | undefined, itemPercent: string | undefined): boolean =>
        itemCategory === category && (category !== 'S' || sameRate(itemPercent, percent));
      const lineSum = lines
        .filter((line) => sameGroup(line.category, line.percent))
        .reduce((sum, line) => sum + (line.net ?? 0n), 0n);
      const adjustments = documentAllowances
        .filter((item) => sameGroup(text('cac:TaxCategory/cbc:ID', item), text('cac:TaxCategory/cbc:Percent', item)))
        .reduce(
          (sum, item) =>
            sum + (cents(text('cbc:Amount', item)) ?? 0n) * (text('cbc:ChargeIndicator', item) === 'true' ? 1n : -1n),
          0n,
        );
      if (subtotal.taxable !== undefined && subtotal.taxable !== lineSum + adjustments) {
        fail(
          `${prefix}-08`,
          `${where} taxable amount ${formatCents(subtotal.taxable)} MUST equal the sum of its lines ${formatCents(lineSum + adjustments)}`,
        );
      }
      if (category === 'S') {
        if (subtotal.exemption !== undefined)
          fail('BR-S-10', `${where} standard rated breakdown MUST not have an exemption reason`);
      } else {
        if (subtotal.tax !== undefined && subtotal.tax !== 0n)
          fail(`${prefix}-09`, `${where} VAT amount MUST be 0 for category ${category}`);
        if (category === 'Z' && subtotal.exemption !== undefined)
          fail('BR-Z-10', `${where} zero rated breakdown MUST not have an exemption reason`);
        if ((category === 'E' || category === 'O') && subtotal.exemption === undefined)
          fail(`${prefix}-10`, `${where} MUST have an exemption reason code or text`);
      }
    }

    for (const category of ['S', 'Z', 'E', 'O']) {
      const categoryLines = lines.filter((line) => line.category === category);
      if (categoryLines.length === 0 && !subtotals.some((subtotal) => subtotal.category === category)) continue;
      if (categoryLines.length > 0 && !subtotals.some((subtotal) => subtotal.category === category)) {
        fail(`BR-${category}-01`, `Lines of category ${category} need a VAT breakdown of that category`);
      }
      if (
        category !== 'O' &&
        sellerVat === undefined &&
        sellerTaxRegistration === undefined &&
        representativeVat === undefined
      ) {
        fail(`BR-${category}-02`, `Category ${category} needs the seller's VAT identifier`);
      }
      if (category === 'O' && (sellerVat !== undefined || representativeVat !== undefined || buyerVat !== undefined)) {
        fail(
          'BR-O-02',
          'A document not subject to VAT MUST not contain seller, representative or buyer VAT identifiers',
        );
      }
      for (const line of categoryLines) {
        const rate = line.percent === undefined ? undefined : fraction(line.percent);
        if (category === 'S' && (!rate || rate.n <= 0n))
          fail('BR-S-05', `Line ${line.id} standard rate must be greater than zero`);
        if ((category === 'Z' || category === 'E') && (!rate || rate.n !== 0n))
          fail(`BR-${category}-05`, `Line ${line.id} rate MUST be 0 for category ${category}`);
        if (category === 'O' && line.percent !== undefined)
          fail('BR-O-05', `Line ${line.id} not subject to VAT MUST not have a VAT rate`);
      }
    }
    if (subtotals.some((subtotal) => subtotal.category === 'O')) {
      if (subtotals.length > 1) fail('BR-O-11', 'A breakdown not subject to VAT MUST be the only VAT breakdown');
      for (const line of lines.filter((item) => item.category !== 'O'))
        fail('BR-O-12', `Line ${line.id} MUST be not subject to VAT like the document`);
    }
  }

  function checkPayment(): void {
    for (const means of elements('cac:PaymentMeans', root!)) {
      const code = required('BR-49', 'cbc:PaymentMeansCode', 'The payment means type code (BT-81)', means);
      if (code === undefined) continue;
      if (!PAYMENT_MEANS.has(code)) fail('BR-CL-16', `Payment means ${code} is not a UNCL 4461 code`);
      if (['30', '58'].includes(code))
        required('BR-61', 'cac:PayeeFinancialAccount/cbc:ID', 'The payment account identifier (BT-84)', means);
      if (['49', '59'].includes(code))
        required('PEPPOL-EN16931-R061', 'cac:PaymentMandate/cbc:ID', 'The mandate reference (BT-89)', means);
    }
  }

  function checkAmountFormats(): void {
    const currency = text('cbc:DocumentCurrencyCode', root!);
    const amounts = elements(CURRENCY_AMOUNTS.map((name) => `//cbc:${name}`).join(' | '), root!).concat(
      taxTotalWithSubtotals()
        .map((taxTotal) => element('cbc:TaxAmount', taxTotal)!)
        .filter(Boolean),
    );
    for (const amount of amounts.concat(elements('//cac:TaxSubtotal/cbc:TaxAmount', root!))) {
      if (currency !== undefined && amount.getAttribute('currencyID') !== currency) {
        fail(
          'PEPPOL-EN16931-R051',
          `${path(amount)} currency ${amount.getAttribute('currencyID') ?? '(none)'} differs from the document's ${currency}`,
        );
      }
      const value = (amount.textContent ?? '').trim();
      const parent = amount.parentNode as Element;
      const rule = DECIMAL_RULES[`${parent.nodeName}/${amount.nodeName}`];
      if (!fraction(value)) fail(rule ?? 'BR-DEC', `${path(amount)} is not a decimal number: ${value}`);
      else if (rule && decimals(value) > 2) fail(rule, `${path(amount)} has more than two decimals: ${value}`);
    }
  }
}
