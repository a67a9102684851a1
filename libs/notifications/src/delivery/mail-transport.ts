import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { redactUrl } from '@gemeng/core';

/** One e-mail ready to go: rendered, addressed, with its deterministic Message-ID. */
export interface OutgoingEmail {
  /** The commune it is sent for; .eml files are kept per commune. */
  commune: string;
  /** A name for the message that is the same at every attempt (the outbox row), for .eml file names. */
  key: string;
  from: { name: string; address: string };
  to: { name?: string; address: string };
  subject: string;
  html: string;
  text: string;
  messageId: string;
}

export interface SentEmail {
  messageId: string;
  /** The SMTP server's answer, or the file written. */
  response: string;
}

/** Where e-mails go: an SMTP server, or files. */
export interface MailTransport {
  /** For logs: the server or directory, never a password. */
  readonly description: string;
  send(email: OutgoingEmail): Promise<SentEmail>;
  close(): void;
}

/** How long an SMTP server may take before an attempt counts as failed and is retried later. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

/**
 * True for an SMTP error that no retry will cure: a 5xx reply (mailbox unknown, message refused).
 * 4xx replies, timeouts and refused connections are temporary.
 */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The address part of a `Name <address>` sender. */
export function senderAddress(from: string): string {
  const match = /<([^<>\s]+)>\s*$/.exec(from);
  return (match ? match[1] : from).trim();
}

function message(email: OutgoingEmail) {
  return {
    from: email.from,
    to: email.to.name ? { name: email.to.name, address: email.to.address } : email.to.address,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: email.messageId,
    // RFC 3834: out-of-office and other automatic replies must not answer this message.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** Sends over SMTP (SMTP_URL) with a small pool of connections, as many as jobs run at once. */
export class SmtpMailTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(url: string, connections: number) {
    this.description = `SMTP at ${redactUrl(url)}`;
    this.transporter = createTransport({ url, pool: true, maxConnections: connections, ...SMTP_TIMEOUTS });
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    const info = (await this.transporter.sendMail(message(email))) as { messageId?: string; response?: string };
    return { messageId: info.messageId ?? email.messageId, response: info.response ?? '' };
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Writes each e-mail as an .eml file, `<dir>/<commune>/<key>.eml`, for development without an SMTP
 * server. The name is the same at every attempt, so a retried message replaces its file instead of
 * adding a second one; the file appears whole (written aside, then renamed).
 */
export class FileMailTransport implements MailTransport {
  readonly description: string;
  private readonly composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    this.description = `.eml files in ${resolve(dir)}`;
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    const info = (await this.composer.sendMail(message(email))) as { message: Buffer; messageId: string };
    const folder = join(this.dir, email.commune);
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${email.key}.eml`);
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, info.message);
    await rename(partial, file);
    return { messageId: info.messageId, response: `written to ${file}` };
  }

  close(): void {
    this.composer.close();
  }
}

/** SMTP when a URL is configured, otherwise .eml files in `dir`. */
export function createMailTransport(options: { smtpUrl?: string; dir: string; connections: number }): MailTransport {
  return options.smtpUrl
    ? new SmtpMailTransport(options.smtpUrl, options.connections)
    : new FileMailTransport(options.dir);
}
