import type { GemengConfig } from './config';

const DEFAULT_PORTS = { http: 80, https: 443 };

/**
 * The origin of a commune's portal, `<scheme>://<slug>.<baseDomain>`, with the port unless it is the
 * scheme's own (80 for http, 443 for https).
 */
export function communeOrigin(
  config: Pick<GemengConfig, 'publicScheme' | 'baseDomain' | 'publicPort'>,
  slug: string,
): string {
  const port = config.publicPort === DEFAULT_PORTS[config.publicScheme] ? '' : `:${config.publicPort}`;
  return `${config.publicScheme}://${slug}.${config.baseDomain}${port}`;
}
