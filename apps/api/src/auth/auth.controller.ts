import { Controller, Get, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Passport, type AuthenticateOptions } from 'passport';
import { GemengError, RequestContext, type GemengConfig } from '@gemeng/core';
import { IdentityService } from '@gemeng/identity';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { messagePage } from '../http/html';
import { OidcClient, type LoggedInUser } from './oidc-client';

/** The key a session is bound to: the commune of the host, or the operator. */
export function hostKey(req: Request): string | undefined {
  const host = req.gemengHost;
  if (!host) return undefined;
  return host.kind === 'commune' ? host.commune.id : 'operator';
}

/** Only a path on this same host: never an open redirect to another site. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/';
}

function origin(req: Request, config: GemengConfig): string {
  return `${config.publicScheme}://${req.headers.host}`;
}

/**
 * Login with the OpenID provider, on the host of the commune (or the operator) itself: the callback,
 * the session cookie and the session all belong to that host alone.
 */
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);
  private readonly passport = new Passport();

  constructor(
    private readonly oidc: OidcClient,
    private readonly identity: IdentityService,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const strategy = await this.strategyOrPage(res);
    if (!strategy) return;
    req.session.returnTo = safeReturnTo(req.query.returnTo);
    this.passport.authenticate(strategy, this.options(req))(req, res, ((error: unknown) =>
      this.failed(res, 502, 'Login failed', String(error))) as NextFunction);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const strategy = await this.strategyOrPage(res);
    if (!strategy) return;
    const done = (error: unknown, user: LoggedInUser | false, info?: { message?: string }): void => {
      if (error) {
        this.logger.warn(`Login callback failed: ${String(error)}`);
        this.failed(res, 502, 'Login failed', 'The identity provider could not confirm the login. Please try again.');
        return;
      }
      if (!user) {
        this.failed(res, 403, 'Login refused', info?.message ?? 'The login could not be verified.');
        return;
      }
      void this.establish(req, res, user);
    };
    this.passport.authenticate(strategy, this.options(req), done)(req, res, ((error: unknown) =>
      done(error, false)) as NextFunction);
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const idToken = req.session.user?.idToken;
    const home = `${origin(req, this.config)}/`;
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('gemeng.sid');
    const endSession = idToken ? await this.oidc.endSessionUrl(idToken, home).catch(() => undefined) : undefined;
    res.redirect(303, endSession ?? home);
  }

  /** A fresh session (no fixation) bound to this host, and the citizen's profile on a commune host. */
  private async establish(req: Request, res: Response, user: LoggedInUser): Promise<void> {
    const returnTo = req.session.returnTo ?? '/';
    try {
      await new Promise<void>((resolve, reject) => req.session.regenerate((e: unknown) => (e ? reject(e) : resolve())));
      const host = req.gemengHost;
      if (host?.kind === 'commune') {
        await this.identity.signIn(RequestContext.forCommune(host.commune), user);
      } else if (!this.config.operatorEmails.includes(user.email)) {
        this.failed(res, 403, 'Login refused', 'This account is not an operator account.');
        return;
      }
      req.session.user = user;
      req.session.boundTo = hostKey(req);
      await new Promise<void>((resolve, reject) => req.session.save((e: unknown) => (e ? reject(e) : resolve())));
      res.redirect(303, returnTo);
    } catch (error) {
      this.logger.error(`Could not establish a session: ${String(error)}`);
      this.failed(res, 500, 'Login failed', 'The session could not be opened. Please try again.');
    }
  }

  /** passport-openidconnect takes the callback per request: each host has its own. */
  private options(req: Request): AuthenticateOptions {
    return { session: false, callbackURL: `${origin(req, this.config)}/auth/callback` } as AuthenticateOptions;
  }

  private async strategyOrPage(res: Response): Promise<Awaited<ReturnType<OidcClient['strategy']>> | undefined> {
    try {
      return await this.oidc.strategy();
    } catch (error) {
      this.failed(res, 503, 'Login unavailable', error instanceof GemengError ? error.message : 'Login is unavailable');
      return undefined;
    }
  }

  private failed(res: Response, status: number, title: string, message: string): void {
    if (res.headersSent) return;
    res
      .status(status)
      .type('html')
      .send(messagePage(title, [message]));
  }
}
