import { sniffContentType, SNIFF_BYTES } from './content-type';

const bytes = (...values: (number | string)[]): Buffer =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

describe('sniffContentType', () => {
  it('recognises a PDF, a JPEG and a PNG by their first bytes', () => {
    expect(sniffContentType(bytes('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'JFIF'))).toBe('image/jpeg');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34, 'Exif'))).toBe('image/jpeg');
    expect(sniffContentType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 'IHDR'))).toBe(
      'image/png',
    );
  });

  it('needs no more than SNIFF_BYTES bytes', () => {
    const png = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a);
    expect(png.length).toBe(SNIFF_BYTES);
    expect(sniffContentType(png)).toBe('image/png');
  });

  it.each([
    ['a Linux executable (ELF)', bytes(0x7f, 'ELF', 0x02, 0x01, 0x01, 0x00)],
    ['a Windows executable (MZ)', bytes('MZ', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00)],
    ['an HTML page', bytes('<!doctype html><script>alert(1)</script>')],
    ['an SVG image', bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">')],
    ['a ZIP archive (also DOCX, ODT, JAR)', bytes('PK', 0x03, 0x04, 0x14, 0x00, 0x00, 0x00)],
    ['a shell script', bytes('#!/bin/sh\nrm -rf /\n')],
    ['a GIF image', bytes('GIF89a', 0x01, 0x00)],
    ['an empty file', Buffer.alloc(0)],
  ])('refuses %s', (_what, head) => {
    expect(sniffContentType(head)).toBeUndefined();
  });

  it('refuses signatures that are cut short or not at the very start', () => {
    expect(sniffContentType(bytes('%PDF'))).toBeUndefined();
    expect(sniffContentType(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffContentType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a))).toBeUndefined();
    expect(sniffContentType(bytes(' %PDF-1.4'))).toBeUndefined();
    expect(sniffContentType(bytes('MZ%PDF-1.4'))).toBeUndefined();
  });
});
