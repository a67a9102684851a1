import { randomBytes } from 'node:crypto';
import type { Browser, Page } from './browser';

/** A small PDF that PDF readers open: one page saying `text`, with a correct cross-reference table. */
export function pdfBytes(text: string): Buffer {
  const content = `BT /F1 18 Tf 20 40 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = Buffer.byteLength(pdf);
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

export interface Part {
  name: string;
  fileName?: string;
  content: Buffer;
}

/** A multipart/form-data body, as a browser builds it for a form with these parts. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----gemeng-${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"` +
          (part.fileName === undefined ? '' : `; filename="${part.fileName}"`) +
          // What a client claims is ignored: the type is read from the content.
          `\r\nContent-Type: ${part.fileName === undefined ? 'text/plain' : 'application/pdf'}\r\n\r\n`,
        'utf8',
      ),
      part.content,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads one file to POST /documents on the URL's host as the browser's user, as the portal does. */
export function upload(browser: Browser, url: string, fileName: string, content: Buffer): Promise<Page> {
  const { body, contentType } = multipart([{ name: 'file', fileName, content }]);
  return browser.send('POST', url, {
    raw: body,
    headers: { 'content-type': contentType, 'x-requested-with': 'XMLHttpRequest' },
  });
}

/** The id of a successful upload; fails with the answer otherwise. */
export function uploadedId(page: Page): string {
  if (page.status !== 201) throw new Error(`The upload answered ${page.status}: ${page.body}`);
  return (JSON.parse(page.body) as { id: string }).id;
}
