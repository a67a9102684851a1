import { createHash } from 'node:crypto';

export type PageLocale = 'lb' | 'fr' | 'de' | 'en';

const TEXT = {
  en: {
    title: 'Sign in',
    notice: 'Demo identity provider for development and tests.',
    email: 'Email address',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'The email address or the password is not correct.',
  },
  fr: {
    title: 'Connexion',
    notice: "Fournisseur d'identité de démonstration, pour le développement et les tests.",
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    wrong: "L'adresse e-mail ou le mot de passe n'est pas correct.",
  },
  de: {
    title: 'Anmelden',
    notice: 'Demo-Identitätsanbieter für Entwicklung und Tests.',
    email: 'E-Mail-Adresse',
    password: 'Passwort',
    submit: 'Anmelden',
    wrong: 'E-Mail-Adresse oder Passwort sind nicht korrekt.',
  },
  lb: {
    title: 'Umellen',
    notice: 'Demo-Identitéitsubidder fir Entwécklung an Tester.',
    email: 'E-Mail-Adress',
    password: 'Passwuert',
    submit: 'Umellen',
    wrong: "D'E-Mail-Adress oder d'Passwuert ass net korrekt.",
  },
} satisfies Record<PageLocale, Record<string, string>>;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The first supported language among `ui_locales` (space separated, as OpenID Connect sends them) and
 * then the browser's Accept-Language, English otherwise.
 */
export function pageLocale(uiLocales: unknown, acceptLanguage: string | undefined): PageLocale {
  const tags = [
    ...(typeof uiLocales === 'string' ? uiLocales.split(/\s+/) : []),
    ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0]),
  ];
  for (const tag of tags) {
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (primary in TEXT) return primary as PageLocale;
  }
  return 'en';
}

export interface HtmlPage {
  html: string;
  /** Content-Security-Policy for the page: nothing but its own inline style and, if any, its script. */
  csp: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;background:#f4f5f7;color:#1f2a44}
main{max-width:24rem;margin:0 auto;background:#fff;padding:1.5rem;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin-top:0}label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #5c6370;border-radius:.25rem}
input:focus,button:focus{outline:3px solid #0b5cad;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.75rem;font-size:1rem;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:.25rem;cursor:pointer}
.error{color:#a4161a;font-weight:600}.notice{font-size:.875rem;color:#4a5160}`;

/** A complete HTML document with the shared look; `script` is inline and allowed by hash only. */
export function htmlPage(lang: string, title: string, body: string, script?: string): HtmlPage {
  const scriptTag = script ? `<script>${script}</script>` : '';
  const scriptSrc = script ? `'sha256-${createHash('sha256').update(script).digest('base64')}'` : "'none'";
  return {
    html: `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${scriptTag}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`,
    csp: `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptSrc}; frame-ancestors 'none'; base-uri 'none'`,
  };
}

export interface LoginForm {
  locale: PageLocale;
  /** Where the form posts to. */
  action: string;
  email?: string;
  wrongCredentials?: boolean;
}

/**
 * The sign-in form. The error area is always present and announced (role="alert") when filled, and
 * both fields point to it while it holds a message.
 */
export function loginPage(form: LoginForm): HtmlPage {
  const text = TEXT[form.locale];
  const invalid = form.wrongCredentials ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  const body = `<h1>${escapeHtml(text.title)}</h1>
<p class="notice">${escapeHtml(text.notice)}</p>
<p id="login-error" class="error" role="alert">${form.wrongCredentials ? escapeHtml(text.wrong) : ''}</p>
<form method="post" action="${escapeHtml(form.action)}" novalidate>
<label for="email">${escapeHtml(text.email)}</label>
<input id="email" name="email" type="email" autocomplete="username" required${invalid} value="${escapeHtml(form.email ?? '')}"${form.wrongCredentials ? '' : ' autofocus'}>
<label for="password">${escapeHtml(text.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${form.wrongCredentials ? ' autofocus' : ''}>
<button type="submit">${escapeHtml(text.submit)}</button>
</form>`;
  return htmlPage(form.locale, text.title, body);
}
