import type { GemengConfig } from '@gemeng/core';
import { freePort } from '@gemeng/database';
import { type Browser, parseForm, type Page } from './browser';
import { CLIENT, DEMO_PASSWORD, startTestIdentityProvider, type TestIdentityProvider } from './identity-provider';
import { startTestApi, type TestApi } from './test-api';

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * The API and the local OpenID provider, wired to each other on ports known in advance: the provider
 * accepts callbacks on `*.localhost:<api port>`, and the API trusts the provider's issuer.
 */
export class LoginWorld {
  private constructor(
    readonly api: TestApi,
    readonly provider: TestIdentityProvider,
    readonly apiPort: number,
  ) {}

  static async start(communes: string[], config: Partial<GemengConfig> = {}): Promise<LoginWorld> {
    const idPort = await freePort();
    const apiPort = await freePort();
    const api = await startTestApi({
      communes,
      port: apiPort,
      config: {
        oidc: { issuer: `http://127.0.0.1:${idPort}`, ...CLIENT },
        operatorEmails: ['operator@demo.gemeng.lu'],
        ...config,
      },
    });
    try {
      return new LoginWorld(api, await startTestIdentityProvider(`http://*.localhost:${apiPort}`, idPort), apiPort);
    } catch (error) {
      await api.close();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.provider.stop();
    await this.api.close();
  }

  url(host: string, path: string): string {
    return `http://${host}:${this.apiPort}${path}`;
  }

  /**
   * From /auth/login on `host` through the provider's form (skipped when the provider still knows the
   * browser) to the redirect towards the callback, which is returned, not followed.
   */
  async authorize(
    browser: Browser,
    host: string,
    email: string,
    tamper?: (authorizeUrl: URL) => void,
  ): Promise<string> {
    const isCallback = (next: string): boolean => new URL(next).pathname === '/auth/callback';
    const start = await browser.send('GET', this.url(host, '/auth/login'));
    if (start.status !== 302) throw new Error(`/auth/login answered ${start.status}: ${start.body}`);
    const authorizeUrl = new URL(start.headers.location as string);
    tamper?.(authorizeUrl);
    let page = await browser.follow(authorizeUrl.toString(), isCallback);
    if (page.status === 200) {
      const { action, fields } = parseForm(page.body, page.url);
      const submitted = await browser.send('POST', action, { form: { ...fields, email, password: DEMO_PASSWORD } });
      page = await browser.follow(action, isCallback, submitted);
    }
    const location = page.headers.location;
    if (typeof location !== 'string')
      throw new Error(`The login of ${email} did not come back: ${page.status} ${page.body}`);
    return new URL(location, page.url).toString();
  }

  async logIn(browser: Browser, host: string, email: string): Promise<Page> {
    return browser.send('GET', await this.authorize(browser, host, email));
  }

  async graphql<T>(
    browser: Browser,
    host: string,
    query: string,
    headers: Record<string, string> = {},
  ): Promise<GraphQLAnswer<T>> {
    const page = await browser.send('POST', this.url(host, '/graphql'), { json: { query }, headers });
    return JSON.parse(page.body) as GraphQLAnswer<T>;
  }
}
