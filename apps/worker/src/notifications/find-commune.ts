import { toSnapshot, type CommuneDirectory, type CommuneRegistry, type CommuneSnapshot } from '@gemeng/communes';

/**
 * A commune by slug: from the in-memory directory, or from the register for one onboarded a moment
 * ago that the directory has not heard of yet.
 */
export async function findCommune(
  directory: CommuneDirectory,
  registry: CommuneRegistry,
  slug: string,
): Promise<CommuneSnapshot | undefined> {
  const known = directory.bySlug(slug);
  if (known) return known;
  const entity = await registry.findBySlug(slug);
  return entity ? toSnapshot(entity) : undefined;
}
