/** Where a command writes: standard output for results, standard error for problems. */
export interface Output {
  line(text: string): void;
  error(text: string): void;
}

/** Rows as aligned columns, the first row being the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}
