import { Controller, Get, Header, Req } from '@nestjs/common';
import type { Request } from 'express';
import { communeName, type CommuneSnapshot } from '@gemeng/communes';
import { negotiateLocale } from './locale';
import { escapeHtml } from './html';

function themeCss(commune: CommuneSnapshot): string {
  const t = commune.theme;
  return `:root {
  --gemeng-primary: ${t.primaryColor};
  --gemeng-on-primary: ${t.onPrimaryColor};
  --gemeng-secondary: ${t.secondaryColor};
  --gemeng-on-secondary: ${t.onSecondaryColor};
  --gemeng-accent: ${t.accentColor};
  --gemeng-text: ${t.textColor};
  --gemeng-background: ${t.backgroundColor};
}
`;
}

/** The commune's front page and theme; the portal itself talks to /graphql. */
@Controller()
export class PortalController {
  @Get('theme.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=60')
  theme(@Req() req: Request): string {
    const host = req.gemengHost;
    return host?.kind === 'commune' ? themeCss(host.commune) : '';
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  home(@Req() req: Request): string {
    const host = req.gemengHost;
    if (host?.kind !== 'commune') {
      return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gemeng operator</title></head><body><main><h1>Gemeng operator</h1><p>The operator API is at <a href="/graphql">/graphql</a>.</p></main></body></html>';
    }
    const commune = host.commune;
    const locale = negotiateLocale(req.headers['accept-language'], commune);
    const name = escapeHtml(communeName(commune, locale));
    const c = commune.contact;
    return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name}</title><link rel="stylesheet" href="/theme.css">
<style>body{font-family:system-ui,sans-serif;margin:0;color:var(--gemeng-text);background:var(--gemeng-background)}header{background:var(--gemeng-primary);color:var(--gemeng-on-primary);padding:1rem 2rem}main,footer{padding:1rem 2rem}a{color:var(--gemeng-accent)}</style>
</head><body><header><h1>${name}</h1></header>
<main><p><a href="/graphql">GraphQL API</a></p></main>
<footer><address>${escapeHtml(c.address)}<br><a href="tel:${escapeHtml(c.phone.replace(/\s/g, ''))}">${escapeHtml(c.phone)}</a><br><a href="mailto:${escapeHtml(c.email)}">${escapeHtml(c.email)}</a></address></footer>
</body></html>`;
  }
}
