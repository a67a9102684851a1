import { textIn, type CommuneRef, type Locale, type LocalizedText } from '@gemeng/core';
import { tenantRole, tenantSchema } from '@gemeng/database';
import type { CommuneEntity, CommuneStatus, ContactValue, ThemeValue } from '../entities/commune.entity';

/** What an API instance keeps in memory of a commune to answer its hosts without a query. */
export interface CommuneSnapshot extends CommuneRef {
  status: CommuneStatus;
  statusReason: string | null;
  names: LocalizedText;
  enabledLocales: Locale[];
  defaultLocale: Locale;
  theme: ThemeValue;
  contact: ContactValue;
  /** Subdomain labels and verified custom domains. */
  hosts: string[];
}

export function toSnapshot(entity: CommuneEntity): CommuneSnapshot {
  return {
    id: entity.id,
    slug: entity.slug,
    schema: tenantSchema(entity.slug),
    role: tenantRole(entity.slug),
    status: entity.status,
    statusReason: entity.statusReason,
    names: entity.names,
    enabledLocales: entity.enabledLocales,
    defaultLocale: entity.defaultLocale,
    theme: entity.theme,
    contact: entity.contact,
    hosts: (entity.domains ?? []).filter((d) => d.kind === 'subdomain' || d.verifiedAt).map((d) => d.host),
  };
}

/** The commune's name in a language, falling back to its default language. */
export function communeName(commune: Pick<CommuneSnapshot, 'names' | 'defaultLocale'>, locale?: Locale): string {
  return textIn(commune.names, locale, commune.defaultLocale);
}
