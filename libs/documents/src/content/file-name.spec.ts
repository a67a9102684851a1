import { attachmentDisposition, fileNameProblem, MAX_FILE_NAME_LENGTH } from './file-name';

describe('fileNameProblem', () => {
  it.each([
    'report.pdf',
    'Acte de naissance (copie) 2026.pdf',
    'Ëmzuch-Bestätegung.png',
    'scan 1.jpeg',
    '.pdf',
    '写真.jpg',
  ])('keeps the bare name %s', (name) => {
    expect(fileNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['../../etc/passwd.pdf', 'must be a bare file name, without a path (no / or \\)'],
    ['..\\..\\x.pdf', 'must be a bare file name, without a path (no / or \\)'],
    ['/etc/passwd', 'must be a bare file name, without a path (no / or \\)'],
    ['C:\\Users\\me\\report.pdf', 'must be a bare file name, without a path (no / or \\)'],
    ['docs/report.pdf', 'must be a bare file name, without a path (no / or \\)'],
    ['..', 'must not contain ".."'],
    ['report..pdf', 'must not contain ".."'],
    ['report\u0000.pdf', 'must not contain control characters'],
    ['report\n.pdf', 'must not contain control characters'],
    ['report\u007f.pdf', 'must not contain control characters'],
    ['report\u0085.pdf', 'must not contain control characters'],
    ['invoice\u202Efdp.exe', 'must not contain control characters'],
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
  ])('refuses %j: %s', (name, problem) => {
    expect(fileNameProblem(name)).toBe(problem);
  });

  it(`refuses names over ${MAX_FILE_NAME_LENGTH} characters, counted as characters rather than bytes`, () => {
    expect(fileNameProblem(`${'a'.repeat(MAX_FILE_NAME_LENGTH - 4)}.pdf`)).toBeUndefined();
    expect(fileNameProblem(`${'é'.repeat(MAX_FILE_NAME_LENGTH - 4)}.pdf`)).toBeUndefined();
    expect(fileNameProblem(`${'😀'.repeat(MAX_FILE_NAME_LENGTH - 4)}.pdf`)).toBeUndefined();
    expect(fileNameProblem(`${'a'.repeat(MAX_FILE_NAME_LENGTH - 3)}.pdf`)).toBe(
      `must be at most ${MAX_FILE_NAME_LENGTH} characters`,
    );
  });
});

describe('attachmentDisposition', () => {
  it('names a plain ASCII file twice, as old and new clients expect', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  });

  it('encodes other characters in UTF-8 (RFC 5987) and replaces them in the ASCII fallback', () => {
    expect(attachmentDisposition('Ëmzuch Bestätegung.pdf')).toBe(
      `attachment; filename="_mzuch Best_tegung.pdf"; filename*=UTF-8''%C3%8Bmzuch%20Best%C3%A4tegung.pdf`,
    );
    expect(attachmentDisposition('😀.png')).toBe(`attachment; filename="_.png"; filename*=UTF-8''%F0%9F%98%80.png`);
  });

  it('cannot be broken out of by quotes, backslashes, semicolons or percent signs in the name', () => {
    const header = attachmentDisposition('a"; filename="evil.html\\%41;(x)*\'.pdf');
    expect(header).toBe(
      `attachment; filename="a_; filename=_evil.html__41;(x)*'.pdf"; filename*=UTF-8''a%22%3B%20filename%3D%22evil.html%5C%2541%3B%28x%29%2A%27.pdf`,
    );
    const [, quoted] = /filename="([^"]*)"/.exec(header) ?? [];
    expect(quoted).not.toContain('"');
  });
});
