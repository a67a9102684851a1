import { SMTPServer } from 'smtp-server';
import { freePort } from '@gemeng/database';

/**
 * An SMTP server that accepts everything and notes, per recipient, when each message arrived
 * (performance.now() of this process), without parsing it: a sink cheap enough not to be what a
 * delivery benchmark measures.
 */
export class SmtpCounter {
  /** Arrival times by recipient address (lowercased); more than one means a duplicate. */
  readonly arrivals = new Map<string, number[]>();

  private readonly server: SMTPServer;

  private constructor(readonly port: number) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 500,
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on('end', () => {
          const now = performance.now();
          for (const rcpt of session.envelope.rcptTo) this.arrived(rcpt.address.toLowerCase(), now);
          callback();
        });
      },
    });
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SmtpCounter> {
    const counter = new SmtpCounter(await freePort());
    await new Promise<void>((resolve, reject) => {
      counter.server.once('error', reject);
      counter.server.listen(counter.port, '127.0.0.1', () => resolve());
    });
    return counter;
  }

  /** Recipients among `addresses` that have received at least one message. */
  count(addresses: readonly string[]): number {
    return addresses.filter((a) => this.arrivals.has(a)).length;
  }

  /** Waits until every address has received a message, or the time is up; returns how many did. */
  async waitForAll(addresses: readonly string[], timeoutMs: number, onTick?: (done: number) => void): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let lastTick = performance.now();
    while (this.count(addresses) < addresses.length && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (onTick && performance.now() - lastTick > 3000) {
        lastTick = performance.now();
        onTick(this.count(addresses));
      }
    }
    return this.count(addresses);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private arrived(address: string, at: number): void {
    const times = this.arrivals.get(address);
    if (times) times.push(at);
    else this.arrivals.set(address, [at]);
  }
}
