import { Inject, Injectable, Logger } from '@nestjs/common';
import { Strategy, type Profile, type VerifyCallback } from 'passport-openidconnect';
import { GemengError, isLocale, type GemengConfig, type SessionUser } from '@gemeng/core';
import { GEMENG_CONFIG } from '@gemeng/platform';

interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
}

export type LoggedInUser = SessionUser & { idToken: string };

function verifyUser(
  _issuer: string,
  userinfo: Profile & { _json?: Record<string, unknown> },
  _idProfile: Profile,
  _context: unknown,
  idToken: string,
  _accessToken: string,
  _refreshToken: string,
  _params: unknown,
  done: VerifyCallback,
): void {
  const claims = userinfo._json ?? {};
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  if (!email || claims.email_verified !== true) {
    return done(null, false, { message: 'Your e-mail address is not verified by the identity provider' });
  }
  const locale = claims.locale;
  done(null, {
    subject: userinfo.id,
    email: email.toLowerCase(),
    name: userinfo.displayName || email,
    ...(isLocale(locale) ? { locale } : {}),
    idToken,
  } satisfies LoggedInUser);
}

/**
 * The platform as an OpenID Connect relying party: one confidential client for every host, discovered
 * lazily (the provider may start after the API) and cached once found.
 */
@Injectable()
export class OidcClient {
  private readonly logger = new Logger(OidcClient.name);
  private discovered: Promise<{ metadata: ProviderMetadata; strategy: Strategy }> | undefined;

  constructor(@Inject(GEMENG_CONFIG) private readonly config: GemengConfig) {}

  /** The strategy, discovering the provider on first use; throws a clear error while it is unreachable. */
  async strategy(): Promise<Strategy> {
    return (await this.discover()).strategy;
  }

  async endSessionUrl(idToken: string, postLogoutRedirect: string): Promise<string | undefined> {
    const { metadata } = await this.discover();
    if (!metadata.end_session_endpoint) return undefined;
    const url = new URL(metadata.end_session_endpoint);
    url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirect);
    url.searchParams.set('client_id', this.config.oidc.clientId);
    return url.toString();
  }

  private discover(): Promise<{ metadata: ProviderMetadata; strategy: Strategy }> {
    this.discovered ??= this.load().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  private async load(): Promise<{ metadata: ProviderMetadata; strategy: Strategy }> {
    const issuer = this.config.oidc.issuer;
    if (!issuer) throw new GemengError('COMMUNE_UNAVAILABLE', 'Login is not configured (OIDC_ISSUER)');
    let metadata: ProviderMetadata;
    try {
      const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      metadata = (await response.json()) as ProviderMetadata;
    } catch (error) {
      this.logger.warn(`OpenID provider ${issuer} unreachable: ${String(error)}`);
      throw new GemengError('COMMUNE_UNAVAILABLE', 'The identity provider cannot be reached; try again in a moment');
    }
    // OpenID Connect Discovery 1.0, section 4.3: the issuer must be exactly the one configured.
    if (metadata.issuer !== issuer) {
      throw new GemengError(
        'COMMUNE_UNAVAILABLE',
        `The identity provider at ${issuer} names itself ${metadata.issuer}; refusing it`,
      );
    }
    const strategy = new Strategy(
      {
        issuer,
        authorizationURL: metadata.authorization_endpoint,
        tokenURL: metadata.token_endpoint,
        userInfoURL: metadata.userinfo_endpoint ?? `${issuer}/me`,
        clientID: this.config.oidc.clientId,
        clientSecret: this.config.oidc.clientSecret,
        callbackURL: '/auth/callback',
        scope: ['openid', 'email', 'profile'],
        nonce: 'true',
      } as ConstructorParameters<typeof Strategy>[0],
      // Nine parameters: passport-openidconnect then loads the userinfo claims (e-mail, its
      // verification, locale), which a conforming provider leaves out of the ID token.
      verifyUser as unknown as ConstructorParameters<typeof Strategy>[1],
    );
    return { metadata, strategy };
  }
}
