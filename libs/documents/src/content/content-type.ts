import type { DocumentContentType } from '../entities/document.entity';

/** How many leading bytes {@link sniffContentType} needs to decide. */
export const SNIFF_BYTES = 8;

/** The accepted types, each recognised by the signature its format puts at the very start of a file. */
const SIGNATURES: { type: DocumentContentType; magic: Buffer }[] = [
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
];

/** What the accepted types are called in messages to the uploader. */
export const ACCEPTED_FORMATS = 'PDF, JPEG or PNG';

/**
 * The type of a file from its first bytes, or undefined when it is none of the accepted ones. The name
 * and the client's Content-Type are never consulted: an executable called `report.pdf` starts with
 * `MZ` or `\x7fELF`, not `%PDF-`, and is refused, and so are HTML, SVG and archives, which a browser
 * could be talked into rendering or unpacking.
 */
export function sniffContentType(head: Buffer): DocumentContentType | undefined {
  return SIGNATURES.find(({ magic }) => head.length >= magic.length && head.subarray(0, magic.length).equals(magic))
    ?.type;
}
