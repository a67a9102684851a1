import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

export interface Page {
  status: number;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body exactly as received, for binary downloads. */
  bytes: Buffer;
}

/**
 * A browser as far as logins need one: a cookie jar per host (host-only cookies, as the platform sets
 * them), redirects followed by hand, forms posted url-encoded. Every host is reached on 127.0.0.1 at
 * the URL's port with the URL's host in the Host header (Node does not resolve *.localhost).
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookies(host: string): Map<string, string> {
    let cookies = this.jar.get(host);
    if (!cookies) {
      cookies = new Map();
      this.jar.set(host, cookies);
    }
    return cookies;
  }

  /** Sends one request; no redirect is followed. */
  async send(
    method: 'GET' | 'POST',
    url: string,
    options: {
      form?: Record<string, string>;
      json?: unknown;
      /** Sent as is; a stream goes with chunked transfer encoding (no Content-Length). */
      raw?: Buffer | Readable;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Page> {
    const target = new URL(url);
    const body = options.form
      ? new URLSearchParams(options.form).toString()
      : options.json !== undefined
        ? JSON.stringify(options.json)
        : options.raw instanceof Buffer
          ? options.raw
          : undefined;
    const cookies = [...this.cookies(target.host).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = {
      host: target.host,
      ...(cookies ? { cookie: cookies } : {}),
      ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...options.headers,
    };
    return new Promise<Page>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: target.port || 80, method, path: `${target.pathname}${target.search}`, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            this.store(target.host, res.headers['set-cookie']);
            const bytes = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, url, headers: res.headers, body: bytes.toString('utf8'), bytes });
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
      if (options.raw instanceof Readable) {
        options.raw.pipe(req);
        return;
      }
      if (body) req.write(body);
      req.end();
    });
  }

  /**
   * Follows redirects from `url` until a page that is not a redirect, or until `stopAt` says a
   * redirect target is to be kept rather than followed.
   */
  async follow(url: string, stopAt?: (next: string) => boolean, first?: Page): Promise<Page> {
    let page = first ?? (await this.send('GET', url));
    for (let hops = 0; hops < 15; hops++) {
      const location = page.headers.location;
      if (page.status < 300 || page.status >= 400 || typeof location !== 'string') return page;
      const next = new URL(location, page.url).toString();
      if (stopAt?.(next)) return page;
      page = await this.send('GET', next);
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  private store(host: string, setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()),
      );
      if (expired || value === '') this.cookies(host).delete(name);
      else this.cookies(host).set(name, value);
    }
  }
}

/** The first form of a page: where it posts and its fields' current values. */
export function parseForm(html: string, baseUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form in the page: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]*)"/i.exec(input[0])?.[1];
    if (name) fields[name] = /value="([^"]*)"/i.exec(input[0])?.[1] ?? '';
  }
  return { action: new URL(form[1].replace(/&amp;/g, '&'), baseUrl).toString(), fields };
}
