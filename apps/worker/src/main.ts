import 'reflect-metadata';
import { loadConfig } from '@gemeng/core';
import { prepareDatabase } from '@gemeng/platform';
import { closeWorker, createWorker } from './bootstrap';

const log = (line: string): void => console.log(`[gemeng-worker] ${line}`);
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await prepareDatabase(config, log);
  const starting = createWorker({ config, databaseUrl: database.url, log });
  // Until a processor is registered nothing holds the event loop open: idle pooled connections are
  // closed after their timeout and the process would end on its own instead of waiting for work.
  const keepAlive = setInterval(() => undefined, 2 ** 31 - 1);

  let stopping = false;
  const stop = async (reason: string, code: number): Promise<never> => {
    stopping = true;
    log(`${reason}: closing queues and the database pool`);
    clearInterval(keepAlive);
    // A signal during start-up waits for it to settle, so whatever was opened is closed.
    const app = await starting.catch(() => undefined);
    try {
      if (app) await closeWorker(app);
    } catch (error) {
      console.error(`[gemeng-worker] unclean shutdown: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
    // Stops the embedded server only if this process started it.
    await database.stop();
    process.exit(code);
  };
  // Handlers are in place before start-up finishes so that an early signal still stops the embedded
  // server; `once`, so a second Ctrl-C during a slow shutdown falls back to Node's default and ends at once.
  for (const signal of SIGNALS) process.once(signal, () => void (stopping || stop(signal, 0)));

  try {
    await starting;
  } catch (error) {
    if (stopping) return;
    console.error(`[gemeng-worker] could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stop('start-up failed', 1);
  }
  if (!stopping) log('ready; waiting for jobs (SIGTERM or SIGINT to stop)');
}

main().catch((error: unknown) => {
  console.error(`[gemeng-worker] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
