/** The longest display name kept, in characters (the `document.file_name` column says the same). */
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * C0 and C1 control characters, and the Unicode bidirectional controls that make `report<U+202E>fdp.exe`
 * display as `reportexe.pdf`.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Why a file name as sent by the uploader cannot be kept, or undefined when it can. A browser sends the
 * bare name of the chosen file; a path, a parent reference or a control character can only come from a
 * hand-made request, so it is refused rather than cleaned up. The name is kept for display and for the
 * download's Content-Disposition only: the bytes are stored under a generated key.
 */
export function fileNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'must not be empty';
  if ([...name].length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters`;
  if (/[/\\]/.test(name)) return 'must be a bare file name, without a path (no / or \\)';
  if (name.includes('..')) return 'must not contain ".."';
  if (CONTROL.test(name)) return 'must not contain control characters';
  return undefined;
}

/** RFC 5987's attr-char: what may stand unencoded in `filename*`. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/**
 * `Content-Disposition: attachment` naming the file (RFC 6266): an ASCII `filename` for old clients,
 * with anything else replaced by `_`, and the exact name in UTF-8 as `filename*` (RFC 5987), which
 * current browsers prefer.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${percentEncode(name)}`;
}
