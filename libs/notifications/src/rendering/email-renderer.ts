import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { LOCALES, type Locale } from '@gemeng/core';
import { EMAIL_TEMPLATES, emailProblems, type EmailNotification } from '../notification';

/**
 * Where the templates are: beside this file's directory in the sources (tests) and in dist/ alike,
 * since the build copies them (swc --copy-files).
 */
export const TEMPLATES_DIR = join(__dirname, '..', 'templates');

/** What of a commune an e-mail shows: its name in the recipient's language, colours and contact block. */
export interface EmailBranding {
  slug: string;
  names: Partial<Record<Locale, string>>;
  defaultLocale: Locale;
  theme: { primaryColor: string; onPrimaryColor: string; textColor: string; backgroundColor: string };
  contact: {
    address: string;
    phone: string;
    email: string;
    website?: string;
    openingHours: { days: string; hours: string }[];
  };
}

export interface RenderedEmail {
  /** The commune's name in the recipient's language, the sender's display name. */
  communeName: string;
  subject: string;
  html: string;
  text: string;
}

/** An e-mail that cannot be rendered whatever the number of attempts: its data is wrong. */
export class EmailRenderError extends Error {}

/** Texts of the shared layout, and names of values that templates show, in one language. */
interface LocaleMessages {
  contact: string;
  openingHours: string;
  phone: string;
  email: string;
  website: string;
  /** `:`, or ` :` in French typography. */
  colon: string;
  automatic: string;
  channels: Record<string, string>;
}

interface CompiledTemplate {
  html: HandlebarsTemplateDelegate;
  plain: HandlebarsTemplateDelegate;
}

/** The Intl locale of each language: Luxembourg's conventions, British English for English. */
const INTL_LOCALE: Record<Locale, string> = { lb: 'lb-LU', fr: 'fr-LU', de: 'de-LU', en: 'en-GB' };
export const EMAIL_TIME_ZONE = 'Europe/Luxembourg';
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
/** Used only if a stored theme holds something that is not a colour, so that a style attribute stays one. */
const FALLBACK_THEME = {
  primaryColor: '#1f2a44',
  onPrimaryColor: '#ffffff',
  textColor: '#1a1a1a',
  backgroundColor: '#ffffff',
};

/**
 * Selects one section of a template file. Each file defines its parts as inline partials (`subject`,
 * `action`, `html`, `text`); rendering asks for one of them by name.
 */
const PART_SELECTOR = '{{> (lookup @root "_part")}}';

/**
 * Renders the platform's e-mails from Handlebars templates, one file per language and e-mail, in the
 * commune's colours and with its contact block. Every value is inserted with `{{ }}`, which escapes it
 * in HTML; the plain-text part and the subject are rendered without HTML escaping, as they are not HTML.
 */
export class EmailRenderer {
  private readonly html = Handlebars.create();
  private readonly plain = Handlebars.create();
  private readonly templates = new Map<string, CompiledTemplate>();
  private readonly messages = new Map<Locale, LocaleMessages>();
  private readonly layoutHtml: HandlebarsTemplateDelegate;
  private readonly layoutText: HandlebarsTemplateDelegate;

  constructor(dir: string = TEMPLATES_DIR) {
    this.registerHelpers(this.html, true);
    this.registerHelpers(this.plain, false);
    this.layoutHtml = this.html.compile(readFileSync(join(dir, 'layout.html.hbs'), 'utf8'));
    this.layoutText = this.plain.compile(readFileSync(join(dir, 'layout.text.hbs'), 'utf8'), { noEscape: true });
    for (const locale of LOCALES) {
      this.messages.set(locale, JSON.parse(readFileSync(join(dir, locale, 'messages.json'), 'utf8')) as LocaleMessages);
      for (const template of EMAIL_TEMPLATES) {
        const source = readFileSync(join(dir, locale, `${template}.hbs`), 'utf8') + PART_SELECTOR;
        this.templates.set(`${locale}/${template}`, {
          html: this.html.compile(source),
          plain: this.plain.compile(source, { noEscape: true }),
        });
      }
    }
  }

  /**
   * The subject, HTML and plain-text parts of an e-mail from the outbox, in the recipient's language,
   * with links to the commune's portal at `origin`. Throws {@link EmailRenderError} for data that no
   * retry would fix.
   */
  render(email: EmailNotification, commune: EmailBranding, origin: string): RenderedEmail {
    const problems = emailProblems(email);
    if (problems.length) {
      throw new EmailRenderError(`Cannot render e-mail: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    }
    const locale = email.to.locale;
    const template = this.templates.get(`${locale}/${email.template}`) as CompiledTemplate;
    const messages = this.messages.get(locale) as LocaleMessages;
    const communeName = commune.names[locale] || commune.names[commune.defaultLocale] || commune.slug;
    const colors = safeColors(commune.theme);
    const context = {
      ...email.data,
      name: email.to.name?.trim() || undefined,
      communeName,
      colors,
      url: `${origin}${email.data.path as string}`,
      _locale: locale,
      _messages: messages,
    };
    const part = (name: 'subject' | 'action' | 'html' | 'text'): string =>
      (name === 'html' ? template.html : template.plain)({ ...context, _part: name }).trim();
    // A subject is one header line, whatever a value or a template put in it.
    const subject = part('subject').replace(/\s+/g, ' ');
    const action = part('action').replace(/\s+/g, ' ');
    const layout = {
      locale,
      subject,
      action,
      url: context.url,
      communeName,
      colors,
      contact: commune.contact,
      // Only a web address becomes a link; anything else (a `javascript:` URL) is shown as text.
      websiteUrl: /^https?:\/\//i.test(commune.contact.website ?? '') ? commune.contact.website : undefined,
      messages,
    };
    const html = this.layoutHtml({ ...layout, body: new Handlebars.SafeString(part('html')) });
    const text = this.layoutText({ ...layout, body: part('text') }).replace(/\n{3,}/g, '\n\n');
    return { communeName, subject, html, text: `${text.trim()}\n` };
  }

  private registerHelpers(env: typeof Handlebars, html: boolean): void {
    const localeOf = (options: Handlebars.HelperOptions): Locale => options.data.root._locale as Locale;
    env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    env.registerHelper('date', (value: string, options: Handlebars.HelperOptions) =>
      formatDate(value, localeOf(options)),
    );
    env.registerHelper('dateTime', (value: string, options: Handlebars.HelperOptions) =>
      formatDateTime(value, localeOf(options)),
    );
    env.registerHelper('channel', (value: string, options: Handlebars.HelperOptions) => {
      const messages = options.data.root._messages as LocaleMessages;
      return messages.channels[value] ?? value;
    });
    // A text written by a person keeps its line breaks: escaped, then joined with <br> in HTML.
    env.registerHelper('lines', (value: string) =>
      html
        ? new Handlebars.SafeString(
            String(value ?? '')
              .split(/\r?\n/)
              .map((line) => Handlebars.escapeExpression(line))
              .join('<br>\n'),
          )
        : String(value ?? ''),
    );
  }
}

// Building an Intl formatter costs far more than formatting with one; one per language and kind.
const DATE_FORMATS = new Map<Locale, Intl.DateTimeFormat>();
const DATE_TIME_FORMATS = new Map<Locale, Intl.DateTimeFormat>();

function formatter(
  cache: Map<Locale, Intl.DateTimeFormat>,
  locale: Locale,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], options);
    cache.set(locale, format);
  }
  return format;
}

/** A calendar date (`YYYY-MM-DD`) written out in the language, e.g. `3. Dezember 2026`. */
export function formatDate(value: string, locale: Locale): string {
  // Noon UTC: the same calendar day in every time zone the formatter could use.
  const date = new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new EmailRenderError(`Not a date: ${value}`);
  return formatter(DATE_FORMATS, locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** An instant written out in the language, in Luxembourg's time, e.g. `jeudi 3 décembre 2026 à 10:30`. */
export function formatDateTime(value: string, locale: Locale): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new EmailRenderError(`Not a date and time: ${value}`);
  return formatter(DATE_TIME_FORMATS, locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: EMAIL_TIME_ZONE,
  }).format(date);
}

function safeColors(theme: EmailBranding['theme']): EmailBranding['theme'] {
  const pick = (key: keyof EmailBranding['theme']): string =>
    HEX_COLOR.test(theme?.[key] ?? '') ? theme[key] : FALLBACK_THEME[key];
  return {
    primaryColor: pick('primaryColor'),
    onPrimaryColor: pick('onPrimaryColor'),
    textColor: pick('textColor'),
    backgroundColor: pick('backgroundColor'),
  };
}
