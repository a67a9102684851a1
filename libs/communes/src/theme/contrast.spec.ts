import { contrastRatio, relativeLuminance, themeContrastProblems, type ThemeColors } from './contrast';

const readable: ThemeColors = {
  primaryColor: '#b0002a',
  onPrimaryColor: '#ffffff',
  secondaryColor: '#1d3557',
  onSecondaryColor: '#ffffff',
  accentColor: '#005a9c',
  textColor: '#1a1a1a',
  backgroundColor: '#ffffff',
};

describe('WCAG contrast', () => {
  it('gives the extremes of the scale', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    expect(relativeLuminance('#ffffff')).toBe(1);
  });

  it('matches published reference values', () => {
    // #767676 on white is the classic lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio('#0000ff', '#ffffff')).toBeCloseTo(8.59, 2);
  });

  it('is symmetric', () => {
    expect(contrastRatio('#b0002a', '#ffffff')).toBe(contrastRatio('#ffffff', '#b0002a'));
  });

  it('accepts a readable theme', () => {
    expect(themeContrastProblems(readable)).toEqual([]);
  });

  it('names both colours and the ratio of an unreadable pair', () => {
    const problems = themeContrastProblems({ ...readable, primaryColor: '#ffd700' });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('theme.onPrimaryColor');
    expect(problems[0].message).toContain('#ffffff');
    expect(problems[0].message).toContain('#ffd700');
    expect(problems[0].message).toMatch(/1\.\d\d:1/);
    expect(problems[0].message).toContain('4.5:1');
  });

  it('never shows a failing ratio rounded up to the threshold', () => {
    // #777777 on white is 4.478:1; shown rounded to two decimals it must not read 4.48 as if passing.
    const problems = themeContrastProblems({ ...readable, textColor: '#777777' });
    expect(problems[0].message).toContain('4.47:1');
  });

  it('reports every unreadable pair', () => {
    const problems = themeContrastProblems({ ...readable, backgroundColor: '#000000', textColor: '#111111' });
    expect(problems.map((p) => p.path)).toEqual(['theme.textColor', 'theme.accentColor']);
  });
});
