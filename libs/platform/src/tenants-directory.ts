import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCommuneYaml, type CommuneDefinition } from '@gemeng/communes';

/** The commune definitions of a directory: every `*.yaml` / `*.yml` file, in name order. */
export async function readTenantDefinitions(dir: string): Promise<{ file: string; definition: CommuneDefinition }[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const out: { file: string; definition: CommuneDefinition }[] = [];
  for (const name of files) {
    const file = join(dir, name);
    out.push({ file, definition: parseCommuneYaml(await readFile(file, 'utf8'), file) });
  }
  return out;
}
