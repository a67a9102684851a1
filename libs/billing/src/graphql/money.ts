import { InvalidInputError } from '@gemeng/core';

/**
 * At most 13 digits before the point: up to 10^15 cents, well within a safe integer, so that nothing is
 * ever rounded. Amounts leave the API as exact decimal strings too (`formatAmount`): GraphQL's Int is
 * 32 bits, which the platform's totals exceed, and a Float would round.
 */
const DECIMAL = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * A decimal amount in EUR as given by the operator (`"20"`, `"19.5"`, `"18.50"`) as integer cents;
 * InvalidInputError, addressed to `path`, for anything else (a comma, a sign, three decimals).
 */
export function centsFromDecimal(text: string, path: string): number {
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    throw new InvalidInputError('The amount is invalid', [
      { path, message: `"${text}" is not an amount in EUR with at most two decimals, e.g. "20.00"` },
    ]);
  }
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
