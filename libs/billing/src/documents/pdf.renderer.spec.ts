import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BillingDocument } from './billing-document';
import { creditNote, exemptInvoice, fullYearInvoice, proRataInvoice } from './billing-document.fixtures';
import { renderPdf } from './pdf.renderer';

const run = promisify(execFile);
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'invoice-pdf-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The text a reader sees, as poppler extracts it, with every kind of space made a plain one. */
async function pdfText(pdf: Buffer): Promise<string> {
  const file = join(directory, `${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, pdf);
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  return stdout.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/[ \t]+/g, ' ');
}

async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  const file = join(directory, `${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, pdf);
  const { stdout } = await run('pdfinfo', [file]);
  return Object.fromEntries(stdout.split('\n').map((line) => line.split(/:\s+/, 2) as [string, string]));
}

describe('renderPdf', () => {
  // Luxembourg's French groups thousands with a dot (CLDR fr-LU): 610.000,00 €.
  it('renders the full-year invoice in French with everything a commune needs to pay it', async () => {
    const pdf = await renderPdf(fullYearInvoice);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const info = await pdfInfo(pdf);
    expect(info['Page size']).toContain('595.28 x 841.89');
    expect(info.Pages).toBe('1');
    expect(info.Title).toBe('Facture INV-2026-000001');

    const text = await pdfText(pdf);
    expect(text).toContain('Facture');
    expect(text).toContain('INV-2026-000001');
    expect(text).toContain('Syndicat intercommunal Gemeng');
    expect(text).toContain('N° TVA LU12345613');
    expect(text).toContain("Administration communale d'Esch-sur-Alzette");
    expect(text).toContain('5 janvier 2026');
    expect(text).toContain('4 février 2026');
    expect(text).toContain('1 janvier 2026 – 31 décembre 2026');
    expect(text).toContain('ESCH-2026-PLATEFORME');
    expect(text).toContain('30.500 habitants × 365 jours');
    expect(text).toContain('20,00 €');
    expect(text).toContain('par habitant et par an');
    expect(text).toContain('610.000,00 €');
    expect(text).toContain('Taux normal 17 %');
    expect(text).toContain('103.700,00 €');
    expect(text).toMatch(/Montant à payer\s+713.700,00 €/);
    expect(text).toContain('Payable à 30 jours nets, sans escompte.');
    expect(text).toContain('Virement SEPA');
    expect(text).toContain('LU28 0019 4006 4475 0000');
    expect(text).toContain('BCEELULL');
    expect(text).toMatch(/Communication à indiquer\s+INV-2026-000001/);
    expect(text).toContain('Page 1 sur 1');
  });

  it('renders the same invoice in English', async () => {
    const text = await pdfText(await renderPdf(fullYearInvoice, { locale: 'en' }));
    expect(text).toContain('Invoice');
    expect(text).toContain('30,500 inhabitants × 365 days');
    expect(text).toContain('per inhabitant per year');
    expect(text).toContain('1 January 2026 – 31 December 2026');
    expect(text).toMatch(/Amount due\s+€713,700\.00/);
    expect(text).toContain('LU28 0019 4006 4475 0000');
  });

  it('falls back to French for a language without invoice labels', async () => {
    const text = await pdfText(await renderPdf(fullYearInvoice, { locale: 'lb' }));
    expect(text).toMatch(/Montant à payer\s+713.700,00 €/);
  });

  it('shows the exemption and its reason on an exempt invoice', async () => {
    const text = await pdfText(await renderPdf(exemptInvoice));
    expect(text).toContain('36.883 habitants × 365 jours');
    expect(text).toContain('Exonéré');
    expect(text).toContain('VATEX-EU-132');
    expect(text).toContain('article 132 de la directive 2006/112/CE');
    expect(text).toMatch(/Total TVA\s+0,00 €/);
    expect(text).toMatch(/Montant à payer\s+737.660,00 €/);
    expect(text).toContain('Facturation annuelle de la plateforme communale.');
  });

  it('shows each population figure with its own days on a pro rata invoice', async () => {
    const text = await pdfText(await renderPdf(proRataInvoice));
    expect(text).toContain('4.217 habitants × 122 jours');
    expect(text).toContain('4.305 habitants × 184 jours');
    expect(text).toContain('21,50 €');
    expect(text).toContain('30.221,83 €');
    expect(text).toContain('46.531,64 €');
    expect(text).toMatch(/Montant à payer\s+89.801,56 €/);
  });

  it('names the invoice a credit note corrects', async () => {
    const text = await pdfText(await renderPdf(creditNote));
    expect(text).toContain('Note de crédit');
    expect(text).toContain('CN-2026-000001');
    expect(text).toMatch(/Corrige la facture\s+INV-2026-000001 \(5 janvier 2026\)/);
    expect(text).toMatch(/Montant crédité\s+713.700,00 €/);
  });

  it('continues on a second page when the lines do not fit on one', async () => {
    const lines = Array.from({ length: 40 }, (_, index) => ({
      ...fullYearInvoice.lines[0],
      id: String(index + 1),
      description: `Plateforme Gemeng, ligne ${index + 1}`,
    }));
    const doc: BillingDocument = { ...fullYearInvoice, lines };
    const pdf = await renderPdf(doc);
    const info = await pdfInfo(pdf);
    expect(Number(info.Pages)).toBeGreaterThan(1);
    const text = await pdfText(pdf);
    expect(text).toContain('Plateforme Gemeng, ligne 40');
    expect(text).toContain(`Page 1 sur ${info.Pages}`);
    expect(text).toContain('LU28 0019 4006 4475 0000');
  });
});
