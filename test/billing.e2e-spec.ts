import { Client } from 'pg';
import { BillingService, type BillingRunResult, type InvoiceSummary } from '@gemeng/billing';
import { CommuneDirectory, CommuneRegistry } from '@gemeng/communes';
import { GemengError, RequestContext } from '@gemeng/core';
import { beginTenantSql } from '@gemeng/database';
import { startTestApi, type TestApi } from './support/test-api';

const operator = new RequestContext({ operator: true });

/** PostgreSQL's answer to a statement, as an error code and message. */
async function refusal(
  client: Client,
  sql: string,
  values: unknown[] = [],
): Promise<{ code?: string; message?: string }> {
  await client.query('BEGIN');
  try {
    await client.query(sql, values);
    return {};
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  } finally {
    await client.query('ROLLBACK');
  }
}

async function errorOf(promise: Promise<unknown>): Promise<GemengError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GemengError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const bySlug = (invoices: InvoiceSummary[]) => Object.fromEntries(invoices.map((i) => [i.communeSlug, i]));
const numbers = (result: BillingRunResult) => result.invoices.map((i) => i.number);

describe('Billing of communes', () => {
  let api: TestApi;
  let billing: BillingService;
  let client: Client;

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch', 'dudelange', 'luxembourg', 'differdange', 'hesperange'] });
    billing = api.app.get(BillingService);
    client = new Client({ connectionString: api.db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await api?.close();
  });

  const communeContext = (slug: string) => {
    const commune = api.app.get(CommuneDirectory).bySlug(slug);
    if (!commune) throw new Error(`${slug} is not in the directory`);
    return RequestContext.forCommune(commune);
  };
  const invoiceCount = async () =>
    (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM platform.invoice')).rows[0].n;

  it('invoices every active commune once for a year, with the golden amounts, and a second run adds nothing', async () => {
    const first = await billing.run(operator, '2026', { issueDate: '2026-01-15' });
    expect(first.period).toEqual({ label: '2026', start: '2026-01-01', end: '2026-12-31' });
    expect(first.skipped).toEqual([]);
    const invoices = bySlug(first.invoices);
    expect(Object.keys(invoices).sort()).toEqual(['differdange', 'dudelange', 'esch', 'hesperange', 'luxembourg']);
    // 37,420 inhabitants x 20.00 EUR, not subject to VAT: the platform default.
    expect(invoices.esch).toMatchObject({
      status: 'issued',
      inhabitants: 37420,
      priceCents: 2000,
      netCents: 74_840_000,
      taxCents: 0,
      totalCents: 74_840_000,
      issueDate: '2026-01-15',
      dueDate: '2026-02-14',
    });
    // Luxembourg's definition sets 18.50 EUR.
    expect(invoices.luxembourg).toMatchObject({ inhabitants: 136208, priceCents: 1850, totalCents: 251_984_800 });
    // Differdange joined on 1 March: 306 of 365 days, 30,284 x 306 x 2000 / 365 = 50,777,556.16 cents.
    expect(invoices.differdange).toMatchObject({ inhabitants: 30284, netCents: 50_777_556, totalCents: 50_777_556 });
    for (const invoice of first.invoices) expect(invoice.number).toMatch(/^INV-2026-\d{6}$/);
    expect(new Set(numbers(first)).size).toBe(5);

    const again = await billing.run(operator, '2026', { issueDate: '2026-01-16' });
    expect(again.invoices).toEqual([]);
    expect(again.alreadyInvoiced.map((i) => i.id).sort()).toEqual(first.invoices.map((i) => i.id).sort());

    const document = await billing.document(operator, invoices.differdange.id);
    expect(document.lines[0]).toMatchObject({
      quantity: 30284 * 306,
      priceCents: 2000,
      priceBaseQuantity: 365,
      netCents: 50_777_556,
      period: { start: '2026-03-01', end: '2026-12-31' },
      vatCategory: 'O',
      vatRate: 0,
    });
    expect(document.vat).toEqual([
      {
        category: 'O',
        rate: 0,
        taxableCents: 50_777_556,
        taxCents: 0,
        exemptionReasonCode: 'VATEX-EU-O',
        exemptionReason: 'Not subject to VAT',
      },
    ]);
    expect(document.buyer).toMatchObject({
      name: 'Déifferdeng',
      address: { lines: ['Grand-Rue'], postalCode: '4575', city: 'Differdange', countryCode: 'LU' },
      endpoint: { scheme: '9938', id: 'LU90000003' },
    });
    expect(document.seller.vatId).toBeUndefined();
    expect(document.buyerReference).toBe('DIFFERDANGE-GEMENG');
  });

  it('issues one invoice per commune and gapless numbers when two runs, in one or two processes, race', async () => {
    const [a, b] = await Promise.all([
      billing.run(operator, '2026-Q2', { issueDate: '2027-01-04' }),
      billing.run(operator, '2026-Q2', { issueDate: '2027-01-04' }),
    ]);
    expect(a.invoices.length + b.invoices.length).toBe(5);
    expect(a.alreadyInvoiced.length + b.alreadyInvoiced.length).toBe(5);
    const issued = await billing.list(operator, { year: 2027, kind: 'invoice' });
    expect(issued.map((i) => i.number).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `INV-2027-00000${n}`));

    const second = await startTestApi({ database: api.db });
    try {
      const other = second.app.get(BillingService);
      const [c, d] = await Promise.all([
        billing.run(operator, '2026-Q3', { issueDate: '2028-01-04' }),
        other.run(operator, '2026-Q3', { issueDate: '2028-01-04' }),
      ]);
      expect(c.invoices.length + d.invoices.length).toBe(5);
      const q3 = await billing.list(operator, { year: 2028 });
      expect(q3.map((i) => i.number).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `INV-2028-00000${n}`));
      expect(new Set(q3.map((i) => i.communeSlug)).size).toBe(5);
    } finally {
      await second.close();
    }
  });

  it('stores nothing for a preview', async () => {
    const before = await invoiceCount();
    const counters = await client.query('SELECT * FROM platform.invoice_number_counter ORDER BY year, kind');
    const preview = await billing.run(operator, '2026-Q4', { preview: true });
    expect(preview.preview).toBe(true);
    expect(preview.invoices).toHaveLength(5);
    for (const draft of preview.invoices) expect(draft).toMatchObject({ status: 'draft', number: null });
    expect(bySlug(preview.invoices).esch.totalCents).toBe(Math.round((37420 * 92 * 2000) / 365));
    expect(await invoiceCount()).toBe(before);
    expect((await client.query('SELECT * FROM platform.invoice_number_counter ORDER BY year, kind')).rows).toEqual(
      counters.rows,
    );
  });

  it('records a payment and a credit note, and refuses paying twice or crediting twice', async () => {
    const run = await billing.run(operator, '2026-08', { issueDate: '2026-09-01' });
    const esch = bySlug(run.invoices).esch;
    const early = await errorOf(billing.markPaid(operator, esch.id, { paidOn: '2026-08-31', reference: 'SEPA 1' }));
    expect(early.code).toBe('BAD_USER_INPUT');
    const paid = await billing.markPaid(operator, esch.id, { paidOn: '2026-09-20', reference: 'SEPA 2026-0920-17' });
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-09-20', paymentReference: 'SEPA 2026-0920-17' });
    const twice = await errorOf(billing.markPaid(operator, esch.id, { paidOn: '2026-09-21', reference: 'again' }));
    expect(twice.code).toBe('CONFLICT');

    const creditNote = await billing.credit(operator, esch.id, 'Population figure corrected');
    expect(creditNote).toMatchObject({
      kind: 'credit-note',
      status: 'issued',
      relatedInvoiceId: esch.id,
      totalCents: esch.totalCents,
      netCents: esch.netCents,
    });
    expect(creditNote.number).toMatch(/^CN-2026-\d{6}$/);
    expect(await billing.get(operator, esch.id)).toMatchObject({ status: 'credited', relatedInvoiceId: creditNote.id });
    expect((await errorOf(billing.credit(operator, esch.id, 'again'))).code).toBe('CONFLICT');
    expect((await errorOf(billing.credit(operator, creditNote.id, 'a credit note'))).code).toBe('CONFLICT');

    const document = await billing.document(operator, creditNote.id);
    expect(document).toMatchObject({
      kind: 'credit-note',
      precedingInvoice: { number: esch.number, issueDate: '2026-09-01' },
      note: 'Population figure corrected',
      totals: { payableCents: esch.totalCents },
    });
    expect(document.lines).toEqual((await billing.document(operator, esch.id)).lines);

    // The credited period can be invoiced again, under a new number.
    const reissued = await billing.run(operator, '2026-08', { issueDate: '2026-11-20' });
    expect(reissued.invoices.map((i) => i.communeSlug)).toEqual(['esch']);
    expect(reissued.invoices[0].number).not.toBe(esch.number);
  });

  it('never dates a credit note before the invoice it cancels', async () => {
    const ahead = bySlug((await billing.run(operator, '2037', { issueDate: '2036-12-15' })).invoices).esch;
    const creditNote = await billing.credit(operator, ahead.id, 'Billed too early');
    expect(creditNote).toMatchObject({ issueDate: '2036-12-15', number: 'CN-2036-000001' });
  });

  it('refuses bad payments, and credits an invoice only once when two operators try at once', async () => {
    const invoice = bySlug((await billing.run(operator, '2026-06', { issueDate: '2026-07-01' })).invoices).luxembourg;
    for (const payment of [
      { paidOn: '2099-01-01', reference: 'future' },
      { paidOn: '2026-07-02', reference: '  ' },
      { paidOn: '02/07/2026', reference: 'R' },
    ]) {
      expect((await errorOf(billing.markPaid(operator, invoice.id, payment))).code).toBe('BAD_USER_INPUT');
    }
    expect((await errorOf(billing.credit(operator, invoice.id, ' '))).code).toBe('BAD_USER_INPUT');
    const attempts = await Promise.allSettled([
      billing.credit(operator, invoice.id, 'Wrong price'),
      billing.credit(operator, invoice.id, 'Wrong price'),
    ]);
    expect(attempts.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as GemengError).code).toBe('CONFLICT');
    const notes = await billing.list(operator, { kind: 'credit-note', communeSlug: 'luxembourg' });
    expect(notes.filter((n) => n.relatedInvoiceId === invoice.id)).toHaveLength(1);
    expect(
      (await errorOf(billing.markPaid(operator, invoice.id, { paidOn: '2026-07-02', reference: 'late' }))).code,
    ).toBe('CONFLICT');
  });

  it("refuses, in PostgreSQL itself, any change to an issued invoice's content and any deletion", async () => {
    const run = await billing.run(operator, '2026-09', { issueDate: '2026-10-01' });
    const invoice = bySlug(run.invoices).dudelange;
    const changed = await refusal(client, 'UPDATE platform.invoice SET net_cents = 1, total_cents = 1 WHERE id = $1', [
      invoice.id,
    ]);
    expect(changed.code).toBe('23000');
    expect(changed.message).toMatch(/cannot change/);
    expect(
      (await refusal(client, 'UPDATE platform.invoice SET buyer = $2 WHERE id = $1', [invoice.id, '{}'])).code,
    ).toBe('23000');
    expect((await refusal(client, 'DELETE FROM platform.invoice WHERE id = $1', [invoice.id])).code).toBe('23000');
    expect((await refusal(client, 'TRUNCATE platform.invoice CASCADE')).code).toBe('23000');
    // Paid, then back to issued: refused.
    await billing.markPaid(operator, invoice.id, { paidOn: '2026-10-02', reference: 'R-1' });
    const back = await refusal(
      client,
      "UPDATE platform.invoice SET status = 'issued', paid_on = NULL, payment_reference = NULL WHERE id = $1",
      [invoice.id],
    );
    expect(back.code).toBe('23000');
    expect(await billing.get(operator, invoice.id)).toMatchObject({ status: 'paid', netCents: invoice.netCents });
  });

  it("keeps billing out of a commune's reach: its role cannot read it, its administrators see only their own", async () => {
    await billing.run(operator, '2026-10', { issueDate: '2026-11-02' });
    await client.query(beginTenantSql({ role: 't_esch', schema: 't_esch' }));
    try {
      await client.query('SAVEPOINT attempt');
      await expect(client.query('SELECT * FROM platform.invoice')).rejects.toMatchObject({ code: '42501' });
      await client.query('ROLLBACK TO SAVEPOINT attempt');
      await expect(client.query('SELECT * FROM platform.billing_price')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.query('ROLLBACK');
    }

    const eschContext = communeContext('esch');
    const mine = await billing.listForCommune(eschContext);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((i) => i.communeSlug))).toEqual(new Set(['esch']));
    const dudelanges = (await billing.list(operator, { communeSlug: 'dudelange' }))[0];
    const stolen = await errorOf(billing.documentForCommune(eschContext, dudelanges.id));
    expect(stolen.code).toBe('NOT_FOUND');
    expect((await billing.documentForCommune(eschContext, mine[0].id)).buyer.name).toBe('Esch-sur-Alzette');

    // Operator methods from a commune's context, or any context that is not the operator's.
    for (const call of [
      () => billing.list(eschContext, {}),
      () => billing.run(eschContext, '2026-11'),
      () => billing.document(eschContext, dudelanges.id),
      () => billing.markPaid(eschContext, dudelanges.id, { paidOn: '2026-11-03', reference: 'x' }),
      () => billing.credit(eschContext, dudelanges.id, 'x'),
    ]) {
      expect((await errorOf(call())).code).toBe('FORBIDDEN');
    }
  });

  it('bills a year from the figures at its first day, and skips with the reason a commune that has none', async () => {
    const run = await billing.run(operator, '2025', { issueDate: '2025-01-20' });
    // Esch has a figure at 1 January 2025; Hesperange joined on 1 July 2025 and has none by then.
    expect(run.invoices.map((i) => [i.communeSlug, i.inhabitants, i.totalCents])).toEqual([
      ['esch', 36883, 73_766_000],
    ]);
    expect(run.skipped).toEqual([
      { communeSlug: 'dudelange', reason: 'no population figure on or before 2025-01-01' },
      { communeSlug: 'hesperange', reason: 'no population figure on or before 2025-07-01' },
      { communeSlug: 'luxembourg', reason: 'no population figure on or before 2025-01-01' },
    ]);
    expect(run.invoices[0].number).toBe('INV-2025-000001');
  });

  it('applies dated prices and VAT treatments at the reference date, standard rate and exemption alike', async () => {
    const standard = { category: 'S' as const, rate: 17 };
    await billing.setPrice(operator, {
      communeSlug: 'dudelange',
      validFrom: '2030-07-01',
      centsPerInhabitantYear: 1900,
      vat: standard,
    });
    await billing.setPrice(operator, {
      communeSlug: null,
      validFrom: '2031-01-01',
      centsPerInhabitantYear: 2100,
      vat: standard,
    });
    const exempt = { category: 'E' as const, rate: 0, exemptionReasonCode: 'VATEX-EU-132', exemptionReason: 'Exempt' };
    await billing.setPrice(operator, {
      communeSlug: 'hesperange',
      validFrom: '2031-01-01',
      centsPerInhabitantYear: 2000,
      vat: exempt,
    });
    expect(await billing.prices(operator, 'dudelange')).toEqual([
      {
        communeSlug: null,
        validFrom: '2000-01-01',
        centsPerInhabitantYear: 2000,
        vat: { category: 'O', rate: 0, exemptionReasonCode: 'VATEX-EU-O', exemptionReason: 'Not subject to VAT' },
      },
      { communeSlug: null, validFrom: '2031-01-01', centsPerInhabitantYear: 2100, vat: standard },
      { communeSlug: 'dudelange', validFrom: '2030-07-01', centsPerInhabitantYear: 1900, vat: standard },
    ]);

    // An override from 1 July counts from the next period: the year 2030 is billed at the default price.
    const year2030 = bySlug((await billing.run(operator, '2030', { issueDate: '2030-01-10' })).invoices);
    expect(year2030.dudelange).toMatchObject({ priceCents: 2000, netCents: 44_290_000, taxCents: 0 });
    const q3 = bySlug((await billing.run(operator, '2030-Q3', { issueDate: '2030-07-10' })).invoices);
    // 22,145 x 92 days x 19.00 / 365 = 106,053.32 EUR, and 17 % VAT.
    expect(q3.dudelange).toMatchObject({
      priceCents: 1900,
      netCents: 10_605_332,
      taxCents: 1_802_906,
      totalCents: 12_408_238,
    });

    const year2031 = bySlug((await billing.run(operator, '2031', { issueDate: '2031-01-10' })).invoices);
    expect(year2031.esch).toMatchObject({ priceCents: 2100, netCents: 78_582_000, taxCents: 13_358_940 });
    expect(year2031.dudelange).toMatchObject({ priceCents: 1900, netCents: 42_075_500, taxCents: 7_152_835 });
    // Luxembourg's definition price, with the platform's VAT treatment at the date.
    expect(year2031.luxembourg).toMatchObject({ priceCents: 1850, netCents: 251_984_800, taxCents: 42_837_416 });
    expect(year2031.hesperange).toMatchObject({
      priceCents: 2000,
      netCents: 33_824_000,
      taxCents: 0,
      totalCents: 33_824_000,
    });

    const taxed = await billing.document(operator, year2031.esch.id);
    expect(taxed.vat).toEqual([{ category: 'S', rate: 17, taxableCents: 78_582_000, taxCents: 13_358_940 }]);
    expect(taxed.seller.vatId).toBe('LU12345613');
    expect(taxed.totals).toEqual({
      lineNetCents: 78_582_000,
      taxExclusiveCents: 78_582_000,
      taxCents: 13_358_940,
      taxInclusiveCents: 91_940_940,
      payableCents: 91_940_940,
    });
    const exemptDocument = await billing.document(operator, year2031.hesperange.id);
    expect(exemptDocument.vat).toEqual([
      {
        category: 'E',
        rate: 0,
        taxableCents: 33_824_000,
        taxCents: 0,
        exemptionReasonCode: 'VATEX-EU-132',
        exemptionReason: 'Exempt',
      },
    ]);

    const refused = await errorOf(
      billing.setPrice(operator, {
        communeSlug: 'esch',
        validFrom: '2031-02-30',
        centsPerInhabitantYear: -5,
        vat: { category: 'E', rate: 0 },
      }),
    );
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect((refused.details?.problems as { path: string }[]).map((p) => p.path)).toEqual([
      'validFrom',
      'centsPerInhabitantYear',
      'vat.exemptionReasonCode',
    ]);
    expect(
      (
        await errorOf(
          billing.setPrice(operator, {
            communeSlug: 'nowhere',
            validFrom: '2031-01-01',
            centsPerInhabitantYear: 1,
            vat: standard,
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });

  it('bills a commune that leaves mid-year up to its last day, and not after', async () => {
    await client.query("UPDATE platform.commune SET left_on = '2028-06-15' WHERE slug = 'hesperange'");
    try {
      const year2028 = bySlug((await billing.run(operator, '2028', { issueDate: '2026-11-20' })).invoices);
      // 167 of the leap year's 366 days: 16,912 x 167 x 20.00 / 366 = 154,333.55 EUR.
      expect(year2028.hesperange).toMatchObject({ netCents: 15_433_355, totalCents: 15_433_355 });
      expect((await billing.document(operator, year2028.hesperange.id)).lines[0]).toMatchObject({
        quantity: 16912 * 167,
        priceBaseQuantity: 366,
        period: { start: '2028-01-01', end: '2028-06-15' },
      });
      const year2029 = await billing.run(operator, '2029', { preview: true });
      expect(year2029.invoices.map((i) => i.communeSlug)).not.toContain('hesperange');
      expect(year2029.skipped).toEqual([]);
    } finally {
      await client.query("UPDATE platform.commune SET left_on = NULL WHERE slug = 'hesperange'");
    }
  });

  it("issues from what was true at issue, and never recomputes a document from the commune's later details", async () => {
    const registry = api.app.get(CommuneRegistry);
    const issued = bySlug((await billing.run(operator, '2026-11', { issueDate: '2026-11-20' })).invoices).esch;
    await registry.update('esch', {
      billing: { buyerReference: 'ESCH-PURCHASING' },
      contact: { address: 'Boulevard Prince Henri 1, L-4280 Esch-sur-Alzette' },
    });
    try {
      const document = await billing.document(operator, issued.id);
      expect(document.buyerReference).toBe('ESCH-GEMENG');
      expect(document.buyer.address).toEqual({
        lines: ["Place de l'Hôtel de Ville"],
        postalCode: '4138',
        city: 'Esch-sur-Alzette',
        countryCode: 'LU',
      });
      const next = bySlug((await billing.run(operator, '2026-12', { issueDate: '2026-11-20' })).invoices).esch;
      const nextDocument = await billing.document(operator, next.id);
      expect(nextDocument.buyerReference).toBe('ESCH-PURCHASING');
      expect(nextDocument.buyer.address).toMatchObject({ lines: ['Boulevard Prince Henri 1'], postalCode: '4280' });
    } finally {
      await registry.update('esch', {
        billing: { buyerReference: 'ESCH-GEMENG' },
        contact: { address: "Place de l'Hôtel de Ville, L-4138 Esch-sur-Alzette" },
      });
    }
  });

  it("lets the operator give a commune's billing details, checked like a definition, and no one else", async () => {
    const operatorApi = api.on('operator.localhost').asOperator();
    const update = `mutation ($changes: CommuneUpdateInput!) {
      updateCommune(slug: "hesperange", changes: $changes) {
        billing { name endpoint buyerReference address { lines postalCode city countryCode } }
      }
    }`;
    const changed = await operatorApi.ok<{ updateCommune: { billing: Record<string, unknown> } }>(update, {
      changes: { billing: { name: 'Administration communale de Hesperange', buyerReference: 'HESP-IT' } },
    });
    expect(changed.updateCommune.billing).toEqual({
      name: 'Administration communale de Hesperange',
      endpoint: '9938:LU90000004',
      buyerReference: 'HESP-IT',
      address: null,
    });
    const refused = await operatorApi.query(update, { changes: { billing: { endpoint: 'LU90000004' } } });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // The operator's token is worth nothing on a commune's host.
    for (const caller of [api.on('hesperange.localhost'), api.on('hesperange.localhost').asOperator()]) {
      const attempt = await caller.query(update, { changes: { billing: { buyerReference: 'X' } } });
      expect(attempt.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const preview = await billing.run(operator, '2036', { preview: true });
    expect(bySlug(preview.invoices).hesperange).toBeDefined();
    await operatorApi.ok(update, { changes: { billing: { buyerReference: 'HESPERANGE-GEMENG' } } });
    const stored = await client.query("SELECT billing FROM platform.commune WHERE slug = 'hesperange'");
    expect(stored.rows[0].billing).toMatchObject({
      buyerReference: 'HESPERANGE-GEMENG',
      name: 'Administration communale de Hesperange',
    });
  });

  it('skips a commune without billing details, and bills it once they are given', async () => {
    await client.query("UPDATE platform.commune SET billing = NULL WHERE slug = 'differdange'");
    const run = await billing.run(operator, '2033-01', { issueDate: '2026-11-20' });
    expect(run.skipped).toEqual([
      { communeSlug: 'differdange', reason: expect.stringContaining('no Peppol endpoint') },
    ]);
    await api.app.get(CommuneRegistry).update('differdange', {
      billing: { endpoint: '9938:LU90000003', buyerReference: 'DIFFERDANGE-GEMENG' },
    });
    const after = await billing.run(operator, '2033-01', { issueDate: '2026-11-20' });
    expect(after.invoices.map((i) => i.communeSlug)).toEqual(['differdange']);
  });

  it('gives the overview per commune and period, with what was paid, and the communes not yet invoiced', async () => {
    await billing.setPrice(operator, {
      communeSlug: 'esch',
      validFrom: '2034-01-01',
      centsPerInhabitantYear: 2200,
      vat: { category: 'O', rate: 0, exemptionReasonCode: 'VATEX-EU-O' },
    });
    const run = bySlug((await billing.run(operator, '2034-Q1', { issueDate: '2026-11-02' })).invoices);
    await billing.markPaid(operator, run.esch.id, { paidOn: '2026-11-10', reference: 'SEPA-ESCH-2034' });
    const rows = await billing.overview(operator, 2034);
    const esch = rows.filter((r) => r.communeSlug === 'esch');
    expect(esch).toEqual([
      {
        communeSlug: 'esch',
        communeName: 'Esch-sur-Alzette',
        period: { label: '2034-Q1', start: '2034-01-01', end: '2034-03-31' },
        inhabitants: 37420,
        priceCents: 2200,
        invoicedCents: run.esch.totalCents,
        paidCents: run.esch.totalCents,
      },
    ]);
    expect(rows.find((r) => r.communeSlug === 'dudelange')).toMatchObject({
      invoicedCents: run.dudelange.totalCents,
      paidCents: 0,
    });

    const later = await billing.overview(operator, 2035);
    expect(later.map((r) => [r.communeSlug, r.period.label, r.invoicedCents])).toEqual([
      ['differdange', '2035', 0],
      ['dudelange', '2035', 0],
      ['esch', '2035', 0],
      ['hesperange', '2035', 0],
      ['luxembourg', '2035', 0],
    ]);
    expect(later.find((r) => r.communeSlug === 'esch')).toMatchObject({ inhabitants: 37420, priceCents: 2200 });
    expect((await errorOf(billing.overview(operator, 35))).code).toBe('BAD_USER_INPUT');
  });

  it('finds invoices by commune, status and kind, and answers NOT_FOUND for unknown ids', async () => {
    await billing.run(operator, '2026-07', { issueDate: '2026-08-01' });
    const esch = await billing.list(operator, { communeSlug: 'esch', kind: 'invoice', status: 'issued' });
    expect(esch.length).toBeGreaterThan(0);
    for (const invoice of esch)
      expect(invoice).toMatchObject({ communeSlug: 'esch', kind: 'invoice', status: 'issued' });
    expect((await errorOf(billing.list(operator, { communeSlug: 'nowhere' }))).code).toBe('NOT_FOUND');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', "' OR 1=1 --", 'preview:esch:2026']) {
      expect((await errorOf(billing.get(operator, id))).code).toBe('NOT_FOUND');
      expect((await errorOf(billing.documentForCommune(communeContext('esch'), id))).code).toBe('NOT_FOUND');
    }
  });

  it("reports a commune whose invoice fails, issues the others, and gives the failed one's number back", async () => {
    const dudelange = api.app.get(CommuneDirectory).bySlug('dudelange')?.id;
    await client.query(`
      CREATE FUNCTION platform.refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the disk is full'; END $$`);
    await client.query(
      `CREATE TRIGGER refuse_dudelange BEFORE INSERT ON platform.invoice FOR EACH ROW
       WHEN (NEW.commune_id = '${dudelange}') EXECUTE FUNCTION platform.refuse_invoice()`,
    );
    let run: BillingRunResult;
    try {
      run = await billing.run(operator, '2032-02', { issueDate: '2032-03-01' });
    } finally {
      await client.query('DROP TRIGGER refuse_dudelange ON platform.invoice; DROP FUNCTION platform.refuse_invoice()');
    }
    expect(run.skipped).toEqual([{ communeSlug: 'dudelange', reason: 'issuing failed: the disk is full' }]);
    expect(run.invoices).toHaveLength(4);
    const again = await billing.run(operator, '2032-02', { issueDate: '2032-03-01' });
    expect(again.invoices.map((i) => i.communeSlug)).toEqual(['dudelange']);
    const numbersOf2032 = (await billing.list(operator, { year: 2032 })).map((i) => i.number).sort();
    expect(numbersOf2032).toEqual([1, 2, 3, 4, 5].map((n) => `INV-2032-00000${n}`));
  });

  it('skips a suspended commune with the reason, and bills it once it is resumed', async () => {
    const registry = api.app.get(CommuneRegistry);
    await registry.suspend('hesperange', 'Unpaid invoices');
    try {
      const run = await billing.run(operator, '2026-05', { issueDate: '2026-06-01' });
      expect(run.skipped).toEqual([{ communeSlug: 'hesperange', reason: expect.stringMatching(/^suspended/) }]);
      expect(run.invoices.map((i) => i.communeSlug)).not.toContain('hesperange');
    } finally {
      await registry.resume('hesperange');
    }
    const after = await billing.run(operator, '2026-05', { issueDate: '2026-06-02' });
    expect(after.invoices.map((i) => i.communeSlug)).toEqual(['hesperange']);
    expect(after.alreadyInvoiced).toHaveLength(4);
  });
});
