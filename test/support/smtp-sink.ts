import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from '@gemeng/database';

/** A message the sink accepted (answered 250 to its DATA). */
export interface ReceivedMessage {
  messageId: string;
  /** Envelope recipients, lowercased. */
  rcptTo: string[];
  from: string;
  fromName: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: ParsedMail['headers'];
}

/** A reply given instead of 250 to the RCPT TO of one recipient. */
interface Refusal {
  code: number;
  message: string;
  /** How many more times to refuse; Infinity for always. */
  times: number;
}

export interface Stall {
  /** Settles once a message reached DATA and is being held. */
  reached: Promise<{ messageId: string }>;
}

interface HeldMessage {
  session: string;
  /** Answers 250 and counts the message as accepted. */
  answer(): void;
}

function address(value: AddressObject | AddressObject[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.value[0]?.address?.toLowerCase() ?? '';
}

/**
 * A real SMTP server (smtp-server) on a free loopback port that parses what it accepts (mailparser).
 * It can refuse a recipient, permanently (5xx) or a number of times (4xx), and hold the next message
 * in DATA without answering, to kill a sender in the middle of a delivery.
 */
export class SmtpSink {
  /** Accepted messages, in order. */
  readonly messages: ReceivedMessage[] = [];
  /** Message-IDs of every message whose DATA arrived, accepted or not. */
  readonly dataAttempts: string[] = [];
  private readonly refusals = new Map<string, Refusal>();
  /** Settles the `reached` promise of the stall asked for, when the next message reaches DATA. */
  private stall: ((value: { messageId: string }) => void) | undefined;
  private held: HeldMessage | undefined;
  private readonly waiters = new Set<() => void>();

  private readonly server: SMTPServer;

  private constructor(readonly port: number) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 500,
      onRcptTo: (addr, _session, callback) => callback(this.refusal(addr)),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          void this.received(Buffer.concat(chunks), session.id, session.envelope.rcptTo, callback);
        });
      },
      // A held message whose sender went away was never accepted.
      onClose: (session) => {
        if (this.held?.session === session.id) this.held = undefined;
      },
    });
    this.server.on('error', () => undefined);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(port?: number): Promise<SmtpSink> {
    const sink = new SmtpSink(port ?? (await freePort()));
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(sink.port, '127.0.0.1', () => resolve());
    });
    return sink;
  }

  /** Refuses RCPT TO for `email` with a 5xx reply, for good. */
  rejectRecipient(email: string, code = 550, message = '5.1.1 Mailbox unavailable'): void {
    this.refusals.set(email.toLowerCase(), { code, message, times: Infinity });
  }

  /** Answers RCPT TO for `email` with a 4xx reply, `times` times (Infinity: always). */
  deferRecipient(email: string, times: number, code = 451, message = '4.3.0 Try again later'): void {
    this.refusals.set(email.toLowerCase(), { code, message, times });
  }

  acceptRecipient(email: string): void {
    this.refusals.delete(email.toLowerCase());
  }

  /** Holds the next message that reaches DATA without answering it. */
  stallNextData(): Stall {
    return { reached: new Promise((resolve) => (this.stall = resolve)) };
  }

  /** The accepted messages with this Message-ID. */
  withMessageId(messageId: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.messageId === messageId);
  }

  /** The accepted messages for this recipient. */
  to(email: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.rcptTo.includes(email.toLowerCase()));
  }

  /** Waits until `check` holds over the accepted messages. */
  async waitFor(check: (messages: ReceivedMessage[]) => boolean, timeoutMs = 20_000, what = 'messages'): Promise<void> {
    if (check(this.messages)) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        if (!check(this.messages)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received: ${this.summary()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private summary(): string {
    return JSON.stringify(this.messages.map((m) => ({ to: m.rcptTo, subject: m.subject, id: m.messageId })));
  }

  async close(): Promise<void> {
    this.held?.answer();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private refusal(addr: SMTPServerAddress): Error | null {
    const refusal = this.refusals.get(addr.address.toLowerCase());
    if (!refusal || refusal.times <= 0) return null;
    refusal.times--;
    return Object.assign(new Error(refusal.message), { responseCode: refusal.code });
  }

  private async received(
    raw: Buffer,
    session: string,
    rcptTo: SMTPServerAddress[],
    callback: (error?: Error | null) => void,
  ): Promise<void> {
    const parsed = await simpleParser(raw);
    const messageId = parsed.messageId ?? '';
    this.dataAttempts.push(messageId);
    const reached = this.stall;
    if (reached) {
      this.stall = undefined;
      // Not answered: the sender waits for the reply to its DATA until it is killed.
      const held: HeldMessage = {
        session,
        answer: () => {
          if (this.held !== held) return;
          this.held = undefined;
          this.accept(parsed, rcptTo);
          callback();
        },
      };
      this.held = held;
      reached({ messageId });
      return;
    }
    this.accept(parsed, rcptTo);
    callback();
  }

  private accept(parsed: ParsedMail, rcptTo: SMTPServerAddress[]): void {
    const from = Array.isArray(parsed.from) ? parsed.from[0] : parsed.from;
    this.messages.push({
      messageId: parsed.messageId ?? '',
      rcptTo: rcptTo.map((r) => r.address.toLowerCase()),
      from: address(parsed.from),
      fromName: from?.value[0]?.name ?? '',
      to: address(parsed.to),
      subject: parsed.subject ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      text: parsed.text ?? '',
      headers: parsed.headers,
    });
    for (const waiter of [...this.waiters]) waiter();
  }
}
