import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const WORKER = join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');
const ROOT = join(__dirname, '..', '..');

/** Settings that make a worker's failures and restarts show within seconds in a test. */
export const QUICK_WORKER_ENV = {
  OUTBOX_SWEEP_SECONDS: '1',
  QUEUE_LOCK_MS: '2000',
  QUEUE_STALLED_INTERVAL_MS: '1000',
  NOTIFICATION_ATTEMPTS: '3',
  NOTIFICATION_BACKOFF_MS: '200',
  DATABASE_POOL_SIZE: '4',
};

/**
 * The worker as production runs it (`node dist/apps/worker/src/main.js`, built by the pretest step), in
 * a child process that a test can kill. `env` replaces the variables it names; a variable set to
 * undefined is removed (REDIS_URL, to run on BullMQ's PostgreSQL backend).
 */
export class WorkerProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(env: Record<string, string | undefined>, readyWithinMs = 30_000): Promise<WorkerProcess> {
    const merged: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete merged[name];
      else merged[name] = value;
    }
    const worker = new WorkerProcess(
      spawn(process.execPath, [WORKER], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    try {
      await worker.waitForOutput(/ready; waiting for jobs/, readyWithinMs);
    } catch (error) {
      worker.child.kill('SIGKILL');
      throw error;
    }
    return worker;
  }

  get log(): string {
    return this.output;
  }

  /** Waits until the worker has written a line matching `pattern`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`The worker exited before writing ${pattern}:\n${this.output}`);
      }
      if (Date.now() - started > timeoutMs) throw new Error(`The worker did not write ${pattern}:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown at all, as when a machine dies. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, and the exit code of its shutdown. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return (await this.exited).code;
  }
}
