import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { DOMParser } from '@xmldom/xmldom';
import { closeWorker, createWorker } from '../apps/worker/src/bootstrap';
import { BILL_PREVIOUS_PERIOD, BILLING_QUEUE, BillingJobs } from '../apps/worker/src/billing/billing-jobs.service';
import { QueueRegistry } from '../apps/worker/src/queue';
import { Browser, type Page } from './support/browser';
import { runCli } from './support/cli';
import { checkEInvoice, PEPPOL_CUSTOMIZATION_ID, PEPPOL_PROFILE_ID } from './support/einvoice-rules';
import { LoginWorld } from './support/login-world';
import { OPERATOR_TOKEN, type GraphQLClient, type GraphQLResult } from './support/test-api';

const OPERATOR = 'operator.localhost';
/** Invoices are issued and paid today, on Luxembourg's calendar. */
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Luxembourg' }).format(new Date());
const ESCH = 'esch.localhost';
const DUDELANGE = 'dudelange.localhost';

interface Invoice {
  id: string;
  kind: 'INVOICE' | 'CREDIT_NOTE';
  number: string | null;
  status: 'DRAFT' | 'ISSUED' | 'PAID' | 'CREDITED';
  commune: string;
  period: { label: string; start: string; end: string };
  inhabitants: number;
  pricePerInhabitant: string;
  net: string;
  tax: string;
  total: string;
  paidOn: string | null;
  paymentReference: string | null;
  relatedInvoiceId: string | null;
  pdfUrl: string | null;
  xmlUrl: string | null;
}

interface BillingRun {
  period: { label: string; start: string; end: string };
  preview: boolean;
  invoices: Invoice[];
  alreadyInvoiced: Invoice[];
  skipped: { commune: string; reason: string }[];
  total: string;
}

const INVOICE = `id kind number status commune period { label start end } inhabitants pricePerInhabitant net tax
  total paidOn paymentReference relatedInvoiceId pdfUrl xmlUrl`;
const RUN = `period { label start end } preview total invoices { ${INVOICE} } alreadyInvoiced { ${INVOICE} }
  skipped { commune reason }`;

function code(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

function byCommune(invoices: Invoice[]): Record<string, Invoice> {
  return Object.fromEntries(invoices.map((i) => [i.commune, i]));
}

/** A decimal EUR string ("737660.00") as cents, to add amounts up exactly. */
function cents(amount: string): number {
  expect(amount).toMatch(/^\d+\.\d{2}$/);
  const [whole, fraction] = amount.split('.');
  return Number(whole) * 100 + Number(fraction);
}

/** One text of a UBL document by its local element name under the root (cbc:ID, cbc:ProfileID, ...). */
function ublText(xml: string, path: string[]): string | undefined {
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  let nodes: Element[] = [document.documentElement as unknown as Element];
  for (const name of path) {
    nodes = nodes.flatMap((node) =>
      Array.from(node.childNodes).filter((c): c is Element => c.nodeType === 1 && (c as Element).localName === name),
    );
  }
  return nodes[0]?.textContent ?? undefined;
}

/** RFC 4180 as the overview writes it: CRLF rows, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe('Billing: the operator, the commune administrators, the command line and the scheduled job', () => {
  let world: LoginWorld;
  let operator: GraphQLClient;
  const operatorHttp = new Browser();
  const bearer = { authorization: `Bearer ${OPERATOR_TOKEN}` };

  const download = (host: string, path: string, browser = operatorHttp): Promise<Page> =>
    browser.send('GET', world.url(host, path), { headers: host === OPERATOR ? bearer : {} });

  const run = async (period: string, preview = false): Promise<BillingRun> =>
    preview
      ? (await operator.ok<{ previewBilling: BillingRun }>(`{ previewBilling(period: "${period}") { ${RUN} } }`))
          .previewBilling
      : (
          await operator.ok<{ runBilling: BillingRun }>(`mutation($p: String!) { runBilling(period: $p) { ${RUN} } }`, {
            p: period,
          })
        ).runBilling;

  /** The current invoices of a period, issuing them if they are not yet (billing is idempotent). */
  const invoicesOf = async (period: string): Promise<Record<string, Invoice>> => {
    const result = await run(period);
    return byCommune([...result.invoices, ...result.alreadyInvoiced]);
  };

  beforeAll(async () => {
    world = await LoginWorld.start(['esch', 'dudelange']);
    operator = world.api.on(OPERATOR).asOperator();
    // Esch's definition has its figure at 1 January 2025; Dudelange's starts in 2026.
    await operator.ok(
      `mutation { recordPopulation(slug: "dudelange", record: { referenceDate: "2025-01-01", inhabitants: 21890,
         source: "STATEC, 1 January 2025" }) { inhabitants } }`,
    );
  });
  afterAll(() => world?.stop());

  describe('the operator over GraphQL and HTTP', () => {
    it('previews a year: population x price per commune, and issues nothing', async () => {
      const preview = await run('2025', true);
      expect(preview.preview).toBe(true);
      expect(preview.period).toEqual({ label: '2025', start: '2025-01-01', end: '2025-12-31' });
      const invoices = byCommune(preview.invoices);
      expect(Object.keys(invoices).sort()).toEqual(['dudelange', 'esch']);
      expect(invoices.esch).toMatchObject({
        number: null,
        inhabitants: 36883,
        pricePerInhabitant: '20.00',
        net: '737660.00',
        total: '737660.00',
        pdfUrl: null,
      });
      expect(invoices.dudelange).toMatchObject({ inhabitants: 21890, net: '437800.00', total: '437800.00' });
      expect(preview.total).toBe('1175460.00');
      const listed = await operator.ok<{ invoices: Invoice[] }>(`{ invoices { id } }`);
      expect(listed.invoices).toEqual([]);
    });

    it('runs the year once: one numbered invoice per commune; running it again issues nothing new', async () => {
      const first = await run('2025');
      expect(first.preview).toBe(false);
      expect(first.invoices).toHaveLength(2);
      for (const invoice of first.invoices) {
        expect(invoice).toMatchObject({ kind: 'INVOICE', status: 'ISSUED' });
        expect(invoice.number).toMatch(/^INV-\d{4}-\d{6}$/);
        expect(invoice.pdfUrl).toBe(`/invoices/${invoice.id}.pdf`);
      }
      const sequences = first.invoices.map((i) => Number(i.number?.slice(-6))).sort();
      expect(sequences[1] - sequences[0]).toBe(1);
      expect(first.total).toBe('1175460.00');

      const second = await run('2025');
      expect(second.invoices).toEqual([]);
      expect(second.alreadyInvoiced.map((i) => i.id).sort()).toEqual(first.invoices.map((i) => i.id).sort());
      const listed = await operator.ok<{ invoices: Invoice[] }>(`{ invoices { id period { label } } }`);
      expect(listed.invoices.filter((i) => i.period.label === '2025')).toHaveLength(2);
    });

    it('lists and filters invoices, and reads one', async () => {
      const { esch } = await invoicesOf('2025');
      // The year of a filter is the year of issue, the one in the number.
      const year = Number(esch.number?.slice(4, 8));
      expect(year).toBe(Number(TODAY.slice(0, 4)));
      const filtered = await operator.ok<{ invoices: Invoice[] }>(
        `query($year: Int) { invoices(filter: { commune: "esch", year: $year, status: ISSUED, kind: INVOICE }) { ${INVOICE} } }`,
        { year },
      );
      expect(filtered.invoices.map((i) => i.id)).toEqual([esch.id]);
      const none = await operator.ok<{ invoices: Invoice[] }>(
        `query($year: Int) { a: invoices(filter: { commune: "esch", year: $year }) { id } }`,
        { year: year - 1 },
      );
      expect(none).toEqual({ a: [] });
      const one = await operator.ok<{ invoice: Invoice }>(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, {
        id: esch.id,
      });
      expect(one.invoice).toEqual(esch);
      const missing = await operator.query(`{ invoice(id: "00000000-0000-4000-8000-000000000000") { id } }`);
      expect(code(missing)).toBe('NOT_FOUND');
    });

    it('refuses a period that is not one, with the reason', async () => {
      const wrong = await operator.query(`mutation { runBilling(period: "2025-13") { total } }`);
      expect(code(wrong)).toBe('BAD_USER_INPUT');
      expect(wrong.errors?.[0].message).toContain('2025-13');
    });

    it('marks an invoice paid once; paying it again is a conflict and changes nothing', async () => {
      const { esch } = await invoicesOf('2025');
      const paid = await operator.ok<{ markInvoicePaid: Invoice }>(
        `mutation($id: ID!, $on: String!) { markInvoicePaid(id: $id, paidOn: $on, reference: "BCEE 2026-0042") { ${INVOICE} } }`,
        { id: esch.id, on: TODAY },
      );
      expect(paid.markInvoicePaid).toMatchObject({
        status: 'PAID',
        paidOn: TODAY,
        paymentReference: 'BCEE 2026-0042',
        total: esch.total,
      });
      const again = await operator.query(
        `mutation($id: ID!, $on: String!) { markInvoicePaid(id: $id, paidOn: $on, reference: "twice") { id } }`,
        { id: esch.id, on: TODAY },
      );
      expect(code(again)).toBe('CONFLICT');
      const kept = await operator.ok<{ invoice: Invoice }>(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, {
        id: esch.id,
      });
      expect(kept.invoice).toMatchObject({ paidOn: TODAY, paymentReference: 'BCEE 2026-0042' });
      const badDate = await operator.query(
        `mutation($id: ID!) { markInvoicePaid(id: $id, paidOn: "10.02.2026", reference: "x") { id } }`,
        { id: esch.id },
      );
      expect(code(badDate)).toBe('BAD_USER_INPUT');
    });

    it('credits an invoice by a credit note that references it, once', async () => {
      const { dudelange } = await invoicesOf('2025');
      const credited = await operator.ok<{ creditInvoice: Invoice }>(
        `mutation($id: ID!) { creditInvoice(id: $id, reason: "Population figure corrected by STATEC") { ${INVOICE} } }`,
        { id: dudelange.id },
      );
      const note = credited.creditInvoice;
      expect(note).toMatchObject({
        kind: 'CREDIT_NOTE',
        status: 'ISSUED',
        commune: 'dudelange',
        relatedInvoiceId: dudelange.id,
        total: dudelange.total,
      });
      expect(note.number).toMatch(/^CN-\d{4}-\d{6}$/);
      const invoice = await operator.ok<{ invoice: Invoice }>(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, {
        id: dudelange.id,
      });
      expect(invoice.invoice).toMatchObject({ status: 'CREDITED', relatedInvoiceId: note.id, total: dudelange.total });
      const again = await operator.query(`mutation($id: ID!) { creditInvoice(id: $id, reason: "twice") { id } }`, {
        id: dudelange.id,
      });
      expect(code(again)).toBe('CONFLICT');
      const notes = await operator.ok<{ invoices: Invoice[] }>(
        `{ invoices(filter: { commune: "dudelange", kind: CREDIT_NOTE }) { id } }`,
      );
      expect(notes.invoices.map((i) => i.id)).toEqual([note.id]);
    });

    it('downloads an invoice and its credit note as PDF and as a UBL e-invoice', async () => {
      const notes = await operator.ok<{ invoices: Invoice[] }>(
        `{ invoices(filter: { commune: "dudelange", kind: CREDIT_NOTE }) { ${INVOICE} } }`,
      );
      const [note] = notes.invoices;
      const { invoice } = await operator.ok<{ invoice: Invoice }>(
        `query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`,
        { id: note.relatedInvoiceId },
      );
      const documents = [invoice, note];
      for (const document of documents) {
        const pdf = await download(OPERATOR, document.pdfUrl as string);
        expect(pdf.status).toBe(200);
        expect(pdf.headers['content-type']).toBe('application/pdf');
        expect(pdf.headers['content-disposition']).toContain(`filename="${document.number}.pdf"`);
        expect(pdf.headers['cache-control']).toBe('private, no-store');
        expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

        const xml = await download(OPERATOR, document.xmlUrl as string);
        expect(xml.status).toBe(200);
        expect(xml.headers['content-type']).toMatch(/^application\/xml/);
        expect(xml.headers['content-disposition']).toContain(`filename="${document.number}.xml"`);
        expect(xml.headers['cache-control']).toBe('private, no-store');
        const root = new DOMParser().parseFromString(xml.body, 'application/xml').documentElement;
        expect(root?.localName).toBe(document.kind === 'INVOICE' ? 'Invoice' : 'CreditNote');
        expect(ublText(xml.body, ['CustomizationID'])).toBe(PEPPOL_CUSTOMIZATION_ID);
        expect(ublText(xml.body, ['ProfileID'])).toBe(PEPPOL_PROFILE_ID);
        expect(ublText(xml.body, ['ID'])).toBe(document.number);
        expect(ublText(xml.body, ['LegalMonetaryTotal', 'PayableAmount'])).toBe(document.total);
        expect(checkEInvoice(xml.body)).toEqual([]);
      }
    });

    it('answers 404 for an invoice that does not exist, and 401 without the operator token', async () => {
      const [any] = Object.values(await invoicesOf('2025'));
      expect((await download(OPERATOR, '/invoices/00000000-0000-4000-8000-000000000000.pdf')).status).toBe(404);
      expect((await download(OPERATOR, '/invoices/not-an-id.xml')).status).toBe(404);
      expect((await download(OPERATOR, `/invoices/${any.id}.docx`)).status).toBe(404);
      const anonymous = await new Browser().send('GET', world.url(OPERATOR, `/invoices/${any.id}.pdf`));
      expect(anonymous.status).toBe(401);
      expect(anonymous.bytes.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
      const wrongToken = await new Browser().send('GET', world.url(OPERATOR, `/invoices/${any.id}.pdf`), {
        headers: { authorization: 'Bearer not-the-token' },
      });
      expect(wrongToken.status).toBe(401);
    });

    it('gives the overview of a year in GraphQL and as CSV, whose rows add up to its total', async () => {
      await invoicesOf('2025');
      const { billingOverview } = await operator.ok<{
        billingOverview: {
          rows: { commune: string; period: { label: string }; inhabitants: number; invoiced: string; paid: string }[];
          invoiced: string;
          paid: string;
          outstanding: string;
          csvUrl: string;
        };
      }>(
        `{ billingOverview(year: 2025) { rows { commune period { label } inhabitants invoiced paid }
           invoiced paid outstanding csvUrl } }`,
      );
      const esch = billingOverview.rows.find((r) => r.commune === 'esch');
      expect(esch).toMatchObject({ inhabitants: 36883, invoiced: '737660.00', paid: '737660.00' });
      expect(cents(billingOverview.invoiced) - cents(billingOverview.paid)).toBe(cents(billingOverview.outstanding));

      const csv = await download(OPERATOR, billingOverview.csvUrl);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toContain('filename="billing-overview-2025.csv"');
      expect(csv.body.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(csv.body);
      expect(header).toEqual([
        'commune',
        'name',
        'period',
        'start',
        'end',
        'inhabitants',
        'price_per_inhabitant',
        'invoiced',
        'paid',
        'outstanding',
      ]);
      const total = rows.at(-1) as string[];
      const communes = rows.slice(0, -1);
      expect(total[0]).toBe('total');
      expect(communes).toHaveLength(billingOverview.rows.length);
      for (const column of [7, 8, 9]) {
        expect(communes.reduce((sum, r) => sum + cents(r[column]), 0)).toBe(cents(total[column]));
      }
      expect(total.slice(7)).toEqual([billingOverview.invoiced, billingOverview.paid, billingOverview.outstanding]);
      expect(communes.find((r) => r[0] === 'esch')).toEqual(
        expect.arrayContaining(['esch', '2025', '2025-01-01', '2025-12-31', '36883', '20.00', '737660.00']),
      );

      expect((await download(OPERATOR, '/billing/overview.csv?year=twenty')).status).toBe(400);
      expect((await new Browser().send('GET', world.url(OPERATOR, '/billing/overview.csv?year=2025'))).status).toBe(
        401,
      );
    });
  });

  describe("the attacker's side", () => {
    const eschAdmin = new Browser();
    const citizen = new Browser();
    const agent = new Browser();
    let invoices: Record<string, Invoice>;

    beforeAll(async () => {
      invoices = await invoicesOf('2025');
      await world.logIn(eschAdmin, ESCH, 'admin.esch@demo.gemeng.lu');
      await world.logIn(citizen, ESCH, 'citizen.esch@demo.gemeng.lu');
      await world.logIn(agent, ESCH, 'agent.esch@demo.gemeng.lu');
    });

    it("shows a commune's administrator their own commune's invoices and nothing else", async () => {
      const own = await world.graphql<{ communeInvoices: Invoice[] }>(
        eschAdmin,
        ESCH,
        `{ communeInvoices { ${INVOICE} } }`,
      );
      expect(own.errors).toBeUndefined();
      const mine = own.data?.communeInvoices ?? [];
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((i) => i.commune === 'esch')).toBe(true);
      expect(mine.map((i) => i.id)).toContain(invoices.esch.id);

      const one = await world.graphql<{ communeInvoice: Invoice }>(
        eschAdmin,
        ESCH,
        `{ communeInvoice(id: "${invoices.esch.id}") { id total } }`,
      );
      expect(one.data?.communeInvoice).toEqual({ id: invoices.esch.id, total: invoices.esch.total });
      const pdf = await download(ESCH, `/invoices/${invoices.esch.id}.pdf`, eschAdmin);
      expect(pdf.status).toBe(200);
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const xml = await download(ESCH, `/invoices/${invoices.esch.id}.xml`, eschAdmin);
      expect(xml.status).toBe(200);
      expect(ublText(xml.body, ['ID'])).toBe(invoices.esch.number);
      expect(checkEInvoice(xml.body)).toEqual([]);
    });

    it("gives Esch's administrator NOT_FOUND for Dudelange's invoice, over GraphQL and HTTP alike", async () => {
      const theirs = await world.graphql(
        eschAdmin,
        ESCH,
        `{ communeInvoice(id: "${invoices.dudelange.id}") { id total } }`,
      );
      expect(code(theirs as GraphQLResult<unknown>)).toBe('NOT_FOUND');
      expect(theirs.data).toBeNull();
      const missing = await download(ESCH, '/invoices/00000000-0000-4000-8000-000000000000.pdf', eschAdmin);
      for (const format of ['pdf', 'xml']) {
        const page = await download(ESCH, `/invoices/${invoices.dudelange.id}.${format}`, eschAdmin);
        expect(page.status).toBe(404);
        expect(page.body).toBe(missing.body);
      }
      // Esch's session is worth nothing on Dudelange's host.
      const cookie = [...eschAdmin.cookies(`${ESCH}:${world.apiPort}`).entries()].map(([k, v]) => `${k}=${v}`);
      const replayed = await new Browser().send('GET', world.url(DUDELANGE, `/invoices/${invoices.dudelange.id}.pdf`), {
        headers: { cookie: cookie.join('; ') },
      });
      expect(replayed.status).toBe(401);
    });

    it("refuses Esch's administrator the operator's billing, and Dudelange's list with Esch's session", async () => {
      for (const query of [
        '{ invoices(filter: { commune: "dudelange" }) { id } }',
        `{ invoice(id: "${invoices.dudelange.id}") { id } }`,
        '{ billingOverview(year: 2025) { invoiced } }',
        `mutation { markInvoicePaid(id: "${invoices.dudelange.id}", paidOn: "${TODAY}", reference: "x") { id } }`,
      ]) {
        const answer = await world.graphql(eschAdmin, ESCH, query);
        expect(code(answer as GraphQLResult<unknown>)).toBe('FORBIDDEN');
        expect(answer.data).toBeNull();
      }
      expect((await download(ESCH, '/billing/overview.csv?year=2025', eschAdmin)).status).toBe(404);

      const cookie = [...eschAdmin.cookies(`${ESCH}:${world.apiPort}`).entries()].map(([k, v]) => `${k}=${v}`);
      const replayed = await world.graphql(new Browser(), DUDELANGE, '{ communeInvoices { id } }', {
        cookie: cookie.join('; '),
      });
      expect(code(replayed as GraphQLResult<unknown>)).toBe('UNAUTHENTICATED');
      expect(replayed.data).toBeNull();
    });

    it('refuses communeInvoices to a citizen and an agent, and the downloads too', async () => {
      for (const browser of [citizen, agent]) {
        const answer = await world.graphql(browser, ESCH, '{ communeInvoices { id } }');
        expect(code(answer as GraphQLResult<unknown>)).toBe('FORBIDDEN');
        expect((await download(ESCH, `/invoices/${invoices.esch.id}.pdf`, browser)).status).toBe(403);
      }
      const anonymous = await world.graphql(new Browser(), ESCH, '{ communeInvoices { id } }');
      expect(code(anonymous as GraphQLResult<unknown>)).toBe('UNAUTHENTICATED');
      expect((await download(ESCH, `/invoices/${invoices.esch.id}.pdf`, new Browser())).status).toBe(401);
    });

    it("refuses the operator's fields and files to the operator token on a commune host", async () => {
      const onEsch = world.api.on(ESCH).asOperator();
      for (const query of [
        '{ invoices { id } }',
        `{ invoice(id: "${invoices.esch.id}") { id } }`,
        '{ billingOverview(year: 2025) { invoiced } }',
        'mutation { runBilling(period: "2024") { total } }',
      ]) {
        expect(code(await onEsch.query(query))).toBe('FORBIDDEN');
      }
      const page = await new Browser().send('GET', world.url(ESCH, `/invoices/${invoices.esch.id}.pdf`), {
        headers: bearer,
      });
      expect(page.status).toBe(401);
      expect((await new Browser().send('GET', world.url(ESCH, '/billing/overview.csv?year=2025'))).status).toBe(404);
      const anonymous = await world.api.on(OPERATOR).query('{ invoices { id } }');
      expect(code(anonymous)).toBe('UNAUTHENTICATED');
    });

    it('keeps an issued invoice as it was: there is no way to change its amounts, only to pay or credit it', async () => {
      const schema = await operator.ok<{ __schema: { mutationType: { fields: { name: string }[] } } }>(
        '{ __schema { mutationType { fields { name } } } }',
      );
      const billingMutations = schema.__schema.mutationType.fields
        .map((f) => f.name)
        .filter((n) => /invoice|billing/i.test(n))
        .sort();
      expect(billingMutations).toEqual(['creditInvoice', 'markInvoicePaid', 'runBilling', 'setBillingPrice']);
      const read = async (): Promise<Invoice> =>
        (
          await operator.ok<{ invoice: Invoice }>(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, {
            id: invoices.esch.id,
          })
        ).invoice;
      const pay = (reference: string) =>
        operator.query(
          `mutation($id: ID!, $on: String!, $ref: String!) { markInvoicePaid(id: $id, paidOn: $on, reference: $ref) { id } }`,
          { id: invoices.esch.id, on: TODAY, ref: reference },
        );
      if ((await read()).status === 'ISSUED') expect((await pay('first')).errors).toBeUndefined();
      const invoice = await read();
      expect(invoice.status).toBe('PAID');
      const again = await pay('second');
      expect(code(again)).toBe('CONFLICT');
      expect(await read()).toEqual(invoice);
    });
  });

  describe('the scheduled job in the worker', () => {
    let worker: INestApplicationContext;

    beforeAll(async () => {
      // Dudelange pays more from 2026 on, with VAT at the standard rate: the job's invoices show both.
      const price = await operator.ok<{ setBillingPrice: { commune: string; pricePerInhabitant: string } }>(
        `mutation { setBillingPrice(input: { commune: "dudelange", validFrom: "2026-01-01", pricePerInhabitant: "25.00",
           vatCategory: S, vatRate: "17" }) { commune pricePerInhabitant vatCategory vatRate } }`,
      );
      expect(price.setBillingPrice).toEqual({
        commune: 'dudelange',
        pricePerInhabitant: '25.00',
        vatCategory: 'S',
        vatRate: '17',
      });
      worker = await createWorker({
        config: { ...world.api.config, redisUrl: process.env.REDIS_URL, poolSize: 3, billingSchedule: 'monthly' },
        databaseUrl: world.api.db.url,
        logger: false,
      });
    });
    afterAll(async () => {
      if (worker) await closeWorker(worker);
    });

    it('lists the price override with the platform default', async () => {
      const { billingPrices } = await operator.ok<{
        billingPrices: { commune: string | null; validFrom: string; pricePerInhabitant: string; vatCategory: string }[];
      }>('{ billingPrices(commune: "dudelange") { commune validFrom pricePerInhabitant vatCategory } }');
      expect(billingPrices).toEqual(
        expect.arrayContaining([
          { commune: 'dudelange', validFrom: '2026-01-01', pricePerInhabitant: '25.00', vatCategory: 'S' },
          expect.objectContaining({ commune: null, pricePerInhabitant: '20.00' }),
        ]),
      );
      const wrong = await operator.query(
        `mutation { setBillingPrice(input: { validFrom: "2026-01-01", pricePerInhabitant: "20,00", vatCategory: S,
           vatRate: "17" }) { validFrom } }`,
      );
      expect(code(wrong)).toBe('BAD_USER_INPUT');
    });

    it('is scheduled in the billing queue at the start of each period, once whatever the number of workers', async () => {
      const schedulers = await worker.get(QueueRegistry).queue(BILLING_QUEUE).getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: BILL_PREVIOUS_PERIOD, pattern: '0 6 1 * *', tz: 'Europe/Luxembourg' }),
      ]);
    });

    it('bills the month that just ended, once: the second run issues nothing new', async () => {
      const due = { data: {}, opts: { prevMillis: Date.parse('2026-02-01T05:00:00Z') }, timestamp: Date.now() };
      const first = await worker.get(BillingJobs).handle(due);
      expect(first.period).toEqual({ label: '2026-01', start: '2026-01-01', end: '2026-01-31' });
      const issued = Object.fromEntries(first.invoices.map((i) => [i.communeSlug, i]));
      expect(Object.keys(issued).sort()).toEqual(['dudelange', 'esch']);
      // 37,420 inhabitants x 31 days x 20.00 EUR / 365 days, not subject to VAT.
      expect(issued.esch).toMatchObject({ netCents: 6_356_274, taxCents: 0, totalCents: 6_356_274 });
      // 22,145 inhabitants x 31 days x 25.00 EUR / 365 days, and 17 % VAT on it.
      expect(issued.dudelange).toMatchObject({ netCents: 4_702_021, taxCents: 799_344, totalCents: 5_501_365 });

      const second = await worker.get(BillingJobs).handle(due);
      expect(second.invoices).toEqual([]);
      expect(second.alreadyInvoiced.map((i) => i.id).sort()).toEqual(first.invoices.map((i) => i.id).sort());

      const xml = await download(OPERATOR, `/invoices/${issued.dudelange.id}.xml`);
      expect(ublText(xml.body, ['TaxTotal', 'TaxAmount'])).toBe('7993.44');
      expect(ublText(xml.body, ['LegalMonetaryTotal', 'PayableAmount'])).toBe('55013.65');
      expect(checkEInvoice(xml.body)).toEqual([]);
    });
  });

  describe('the command line', () => {
    let scratch: string;

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'gemeng-billing-'));
    });
    afterAll(() => rm(scratch, { recursive: true, force: true }));

    it('previews and runs a quarter with a line per commune and a summary, once', async () => {
      const preview = await runCli(['billing', 'run', '2026-Q2', '--preview'], world.api.db.url);
      expect(preview.stderr).toBe('');
      expect(preview.code).toBe(0);
      expect(preview.stdout).toMatch(/\[1\/2\] (esch|dudelange): would invoice/);
      expect(preview.stdout).toMatch(/2026-Q2: 2 invoice\(s\) would be issued \(preview, nothing stored\)/);

      const first = await runCli(['billing', 'run', '2026-Q2'], world.api.db.url);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/\[1\/2\] (esch|dudelange): INV-\d{4}-\d{6} /);
      expect(first.stdout).toMatch(/\[2\/2\] (esch|dudelange): INV-\d{4}-\d{6} /);
      expect(first.stdout).toContain('2026-Q2: 2 invoice(s) issued');

      const second = await runCli(['billing', 'run', '2026-Q2'], world.api.db.url);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/esch: already invoiced \(INV-\d{4}-\d{6}\), nothing new/);
      expect(second.stdout).toContain('2026-Q2: 0 invoice(s) issued, total 0.00 EUR; 2 already invoiced');
    });

    it('lists, shows, and writes the PDF and the e-invoice of an invoice', async () => {
      const listed = await runCli(['billing', 'list', '--commune', 'esch', '--json'], world.api.db.url);
      expect(listed.code).toBe(0);
      const invoices = JSON.parse(listed.stdout) as { number: string; period: { label: string }; total: string }[];
      const quarter = invoices.find((i) => i.period.label === '2026-Q2');
      expect(quarter?.number).toMatch(/^INV-/);
      const number = quarter?.number as string;

      const shown = await runCli(['billing', 'show', number], world.api.db.url);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`${number}  invoice  issued`);
      expect(shown.stdout).toContain(`total         ${quarter?.total} EUR`);

      const pdf = join(scratch, 'invoice.pdf');
      const xml = join(scratch, 'invoice.xml');
      expect((await runCli(['billing', 'pdf', number, '--out', pdf], world.api.db.url)).code).toBe(0);
      expect((await readFile(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((await runCli(['billing', 'xml', number, '--out', xml], world.api.db.url)).code).toBe(0);
      const written = await readFile(xml, 'utf8');
      expect(ublText(written, ['ID'])).toBe(number);
      expect(checkEInvoice(written)).toEqual([]);

      const csv = await runCli(['billing', 'overview', '2026', '--csv'], world.api.db.url);
      expect(csv.code).toBe(0);
      const rows = parseCsv(`${csv.stdout.trimEnd()}\r\n`);
      expect(rows[0][0]).toBe('commune');
      expect(rows.at(-1)?.[0]).toBe('total');
    });

    it('exits with 1 when the command fails and with 2 on wrong usage, with the usage', async () => {
      const unknown = await runCli(['billing', 'show', 'INV-1999-000001'], world.api.db.url);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No invoice or credit note INV-1999-000001');

      const noPeriod = await runCli(['billing', 'run'], world.api.db.url);
      expect(noPeriod.code).toBe(2);
      expect(noPeriod.stderr).toContain('billing run takes one period');
      expect(noPeriod.stderr).toContain('Usage: npm run cli');

      const wrongVat = await runCli(
        ['billing', 'price', '--default', '--from', '2027-01-01', '--cents', '2100', '--vat', 'E'],
        world.api.db.url,
      );
      expect(wrongVat.code).toBe(2);
      expect(wrongVat.stderr).toContain('--vat E needs --vatex');

      const unknownCommand = await runCli(['billing', 'refund', 'INV-2026-000001'], world.api.db.url);
      expect(unknownCommand.code).toBe(2);

      const help = await runCli(['billing', '--help'], world.api.db.url);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('billing run <period> [--preview]');
    });
  });
});
