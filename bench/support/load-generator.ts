import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  /** Host headers, used in turn: request i goes to hosts[i % hosts.length]. */
  hosts: readonly string[];
  body: string;
  connections: number;
  /** Run for this many seconds, or until `amount` requests were answered. */
  seconds?: number;
  amount?: number;
  /** Text every good response body contains; a 200 with GraphQL errors is not a good response. */
  expect: string;
}

export interface LoadResult {
  /** Good responses: 2xx, the expected data, no GraphQL errors. */
  ok: number;
  bad: number;
  /** Connection errors and timeouts. */
  errors: number;
  seconds: number;
  /** Latency of every good response, in ms at sub-millisecond resolution. */
  latencies: Float64Array;
}

type Request = { id: number; job: LoadJob };
type Reply = { id: number; result?: LoadResult; error?: string };

/**
 * The load generator runs in a child process: on two cores, autocannon sharing the event loop of the
 * server it measures would slow the server down and add the server's own pauses to every latency.
 */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  constructor() {
    this.child = fork(join(__dirname, 'load-generator.js'), ['--child'], {
      serialization: 'advanced',
      stdio: 'inherit',
    });
    this.child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.result) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error ?? 'load generator failed'));
    });
    this.child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited with ${code}`));
      this.pending.clear();
    });
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job } satisfies Request);
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

function runInThisProcess(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let ok = 0;
    let bad = 0;
    let turn = 0;
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        ...(job.amount ? { amount: job.amount } : { duration: job.seconds ?? 5 }),
        timeout: 30,
        // autocannon stops at its next sample tick; at the default of 1 s a 1.25 s slice would run 2 s.
        sampleInt: 100,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: job.body,
            setupRequest: (req) => {
              req.headers = { ...req.headers, host: job.hosts[turn++ % job.hosts.length] };
              return req;
            },
            onResponse: (status, body) => {
              if (status >= 200 && status < 300 && body.includes(job.expect) && !body.includes('"errors"')) ok++;
              else bad++;
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          ok,
          bad,
          errors: result.errors + result.timeouts,
          // Up to the last response, not to autocannon's callback: with `amount` that only comes at its next
          // one-second tick.
          seconds: (lastResponse - started) / 1000,
          latencies: Float64Array.from(latencies),
        });
      },
    );
    // autocannon's own histogram keeps whole milliseconds; a 10 % latency target needs finer grain.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastResponse = performance.now();
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

if (require.main === module && process.argv.includes('--child')) {
  process.on('message', (request: Request) => {
    runInThisProcess(request.job).then(
      (result) => process.send?.({ id: request.id, result } satisfies Reply),
      (error: unknown) => process.send?.({ id: request.id, error: String(error) } satisfies Reply),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
