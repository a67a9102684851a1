import { cpus, loadavg } from 'node:os';
const started = performance.now();

/** One progress line, stamped with the time since the run began, so that a slow phase shows where it is. */
export function progress(line: string): void {
  const seconds = (performance.now() - started) / 1000;
  console.log(`[${seconds.toFixed(1).padStart(6)} s] ${line}`);
}

export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile: a value that was actually observed, never an interpolation between two. */
export function percentile(values: readonly number[] | Float64Array, p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export function kib(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value >= 10_240 ? `${(value / 1024).toFixed(1)} MiB` : `${Math.round(value)} KiB`;
}

/** A plain-text table; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (cell ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** A line about the machine the figures come from: they mean little without the load beside them. */
export function machineLine(): string {
  return `machine: ${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
}

/** Runs a benchmark's main function and ends the process with its outcome, the error's stack on failure. */
export function runBenchmark(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(
        `${name} benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    },
  );
}
