import type { CommuneSnapshot } from '@gemeng/communes';
import { hostRefusal } from '../http/host-refusal';
import { isSameOrigin } from './subscriptions.upgrade';

describe('the Origin of a WebSocket upgrade', () => {
  it('is accepted from a page of the same host, port and scheme', () => {
    expect(isSameOrigin('http://esch.localhost:3000', 'esch.localhost:3000', 'http')).toBe(true);
    expect(isSameOrigin('https://www.esch.lu', 'WWW.esch.lu', 'https')).toBe(true);
    expect(isSameOrigin('https://www.esch.lu', 'www.esch.lu:443', 'https')).toBe(true);
  });

  it('is refused from another site, another commune, another port or another scheme', () => {
    expect(isSameOrigin('https://evil.example', 'www.esch.lu', 'https')).toBe(false);
    expect(isSameOrigin('http://dudelange.localhost:3000', 'esch.localhost:3000', 'http')).toBe(false);
    expect(isSameOrigin('http://esch.localhost:4000', 'esch.localhost:3000', 'http')).toBe(false);
    expect(isSameOrigin('http://www.esch.lu', 'www.esch.lu', 'https')).toBe(false);
  });

  it('is refused when it names no site, and accepted when absent (not a browser)', () => {
    expect(isSameOrigin('null', 'esch.localhost:3000', 'http')).toBe(false);
    expect(isSameOrigin('http://esch.localhost:3000', undefined, 'http')).toBe(false);
    expect(isSameOrigin(undefined, 'esch.localhost:3000', 'http')).toBe(true);
  });
});

describe('the host of a WebSocket upgrade', () => {
  const commune = (status: CommuneSnapshot['status']) =>
    ({ kind: 'commune', commune: { slug: 'esch', status } as CommuneSnapshot }) as const;

  it('follows the rules of HTTP requests: 404 unknown, 503 suspended or being set up', () => {
    expect(hostRefusal({ kind: 'unknown', host: 'nowhere.localhost' })).toEqual({
      status: 404,
      code: 'COMMUNE_NOT_FOUND',
      message: 'No commune answers at nowhere.localhost',
    });
    expect(hostRefusal(commune('suspended'))).toMatchObject({ status: 503, code: 'COMMUNE_SUSPENDED' });
    expect(hostRefusal(commune('provisioning'))).toMatchObject({ status: 503, code: 'COMMUNE_UNAVAILABLE' });
    expect(hostRefusal(commune('active'))).toBeUndefined();
    expect(hostRefusal({ kind: 'operator' })).toBeUndefined();
  });
});
