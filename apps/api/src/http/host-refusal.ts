import type { HostResolution } from '@gemeng/communes';
import type { ErrorCode } from '@gemeng/core';

/** Why a request (or a WebSocket upgrade) is answered with an error instead of the commune's portal. */
export interface UpgradeRefusal {
  status: number;
  code: ErrorCode | 'SERVICE_UNAVAILABLE';
  message: string;
  headers?: Record<string, string>;
}

/**
 * The host rules, for HTTP requests and WebSocket upgrades alike: an unknown host is 404, a commune
 * that is not active 503, each with its code; anything else goes on.
 */
export function hostRefusal(resolution: HostResolution): UpgradeRefusal | undefined {
  if (resolution.kind === 'unknown') {
    return {
      status: 404,
      code: 'COMMUNE_NOT_FOUND',
      message: `No commune answers at ${resolution.host || 'this address'}`,
    };
  }
  if (resolution.kind === 'commune' && resolution.commune.status !== 'active') {
    const suspended = resolution.commune.status === 'suspended';
    return {
      status: 503,
      code: suspended ? 'COMMUNE_SUSPENDED' : 'COMMUNE_UNAVAILABLE',
      message: suspended
        ? `The portal of ${resolution.commune.slug} is suspended`
        : `The portal of ${resolution.commune.slug} is being set up`,
      headers: { 'Retry-After': suspended ? '3600' : '60' },
    };
  }
  return undefined;
}
