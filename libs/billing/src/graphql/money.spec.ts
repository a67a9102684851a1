import { InvalidInputError } from '@gemeng/core';
import { centsFromDecimal } from './money';

describe('centsFromDecimal', () => {
  it.each([
    ['20', 2000],
    ['20.0', 2000],
    ['19.5', 1950],
    ['18.50', 1850],
    ['0.01', 1],
    [' 20.00 ', 2000],
  ])('"%s" is %i cents', (text, cents) => {
    expect(centsFromDecimal(text, 'price')).toBe(cents);
  });

  it.each(['20,00', '-1', '1.005', '', 'abc', '1e3', '.5', '12345678901234'])('refuses "%s" with its path', (text) => {
    const attempt = () => centsFromDecimal(text, 'pricePerInhabitant');
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/pricePerInhabitant: .* is not an amount in EUR/);
  });
});
