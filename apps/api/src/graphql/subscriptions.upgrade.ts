import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpgradeRefusal } from '../http/host-refusal';

/**
 * True unless a browser says the page that opens the WebSocket is on another site. Browsers send the
 * session cookie with a cross-site WebSocket upgrade (SameSite does not apply to it the way it does to
 * fetches) and always send Origin, so a page of another site could otherwise follow a citizen's
 * dossier with their session. Clients that are not browsers send no Origin and carry no one else's
 * cookie.
 */
export function isSameOrigin(origin: string | undefined, host: string | undefined, scheme: 'http' | 'https'): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    const from = new URL(origin);
    const expected = new URL(`${scheme}://${host}`);
    return from.protocol === expected.protocol && from.host === expected.host;
  } catch {
    // `null` (sandboxed frames, files) and anything unparsable name no site that could be this one.
    return false;
  }
}

/** Answers an upgrade request with an HTTP error, in the same JSON shape as GraphQL's own refusals. */
export function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
  const body = JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...refusal.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n${head}\r\n${body}`);
}
