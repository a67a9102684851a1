import type { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { freePort, PostgresListener, quoteIdent, type PostgresListenerOptions } from '@gemeng/database';
import { createTestDatabase, type TestDatabase } from './support/test-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RECONNECT_DELAY_MS = 50;

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

describe('PostgresListener', () => {
  let db: TestDatabase;
  let admin: Client;
  let started: PostgresListener[] = [];
  let count = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(started.map((listener) => listener.close()));
    started = [];
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  /** A listener with an application name of its own, so that each case finds only its connection. */
  function listener(options: Partial<PostgresListenerOptions> = {}) {
    const received: string[] = [];
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const applicationName = `gemeng-test-listener-${++count}`;
    const instance = new PostgresListener({
      connectionString: db.url,
      applicationName,
      channel: 'listener_test',
      description: 'test listener',
      logger: logger as unknown as Logger,
      onNotification: (payload) => void received.push(payload),
      reconnectDelayMs: RECONNECT_DELAY_MS,
      ...options,
    });
    started.push(instance);
    const backends = async () =>
      (
        await admin.query<{ pid: number; query: string }>(
          'SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
          [applicationName],
        )
      ).rows;
    return { instance, received, logger, backends };
  }

  const notify = (channel: string, payload: string) => admin.query('SELECT pg_notify($1, $2)', [channel, payload]);
  const terminate = (pids: number[]) =>
    admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);

  it('delivers the payloads of its own channel, whose name is quoted', async () => {
    const channel = 'Listener-Test';
    const { instance, received, backends } = listener({ channel });
    await instance.start();
    expect((await backends()).map((b) => b.query)).toEqual([`LISTEN ${quoteIdent(channel)}`]);
    await notify('listener-test', 'other channel');
    await notify(channel, '');
    await notify(channel, 'first');
    await notify(channel, 'second');
    // Notifications of one session arrive in order: once 'second' is in, nothing else is coming.
    await eventually(() => received.length >= 2, 'two notifications');
    expect(received).toEqual(['first', 'second']);
  });

  it('logs a failing callback and keeps delivering', async () => {
    const received: string[] = [];
    const { instance, logger } = listener({
      onNotification: (payload) => {
        if (payload === 'throws') throw new Error('sync failure');
        if (payload === 'rejects') return Promise.reject(new Error('async failure'));
        received.push(payload);
      },
    });
    await instance.start();
    for (const payload of ['throws', 'rejects', 'fine']) await notify('listener_test', payload);
    await eventually(() => received.length === 1 && logger.error.mock.calls.length === 2, 'the two failures');
    expect(logger.error.mock.calls.map(([text]) => text)).toEqual([
      'The test listener could not handle throws: sync failure',
      'The test listener could not handle rejects: async failure',
    ]);
  });

  it('fails to start when it cannot connect, and does not retry on its own', async () => {
    const { instance, logger } = listener({
      connectionString: `postgres://nobody@127.0.0.1:${await freePort()}/nowhere`,
    });
    await expect(instance.start()).rejects.toThrow(/ECONNREFUSED/);
    await sleep(RECONNECT_DELAY_MS * 4);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('reconnects after its connection is terminated, catches up once, and hears again', async () => {
    const onReconnected = jest.fn();
    const { instance, received, logger, backends } = listener({ onReconnected });
    await instance.start();
    const [before] = await backends();
    await terminate([before.pid]);
    await eventually(() => onReconnected.mock.calls.length > 0, 'onReconnected');
    const after = await backends();
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(before.pid);
    expect(after[0].query).toBe('LISTEN "listener_test"');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^The test listener failed: terminating connection/),
    );
    expect(logger.log).toHaveBeenCalledWith('The test listener is connected again');
    await notify('listener_test', 'after');
    await eventually(() => received.includes('after'), 'a notification after reconnecting');
    expect(onReconnected).toHaveBeenCalledTimes(1);
  });

  it('keeps trying to reconnect while the server refuses it', async () => {
    const onReconnected = jest.fn();
    const { instance, logger, backends } = listener({ onReconnected });
    await instance.start();
    // The listener connects as the platform's role, which is no superuser: the limit applies to it.
    await admin.query(`ALTER DATABASE ${quoteIdent(db.name)} CONNECTION LIMIT 0`);
    try {
      await terminate((await backends()).map((b) => b.pid));
      const refusals = () =>
        logger.warn.mock.calls.filter(([text]) => String(text).startsWith('Reconnecting the test listener failed'));
      await eventually(() => refusals().length >= 2, 'two refused attempts');
      expect(onReconnected).not.toHaveBeenCalled();
    } finally {
      await admin.query(`ALTER DATABASE ${quoteIdent(db.name)} CONNECTION LIMIT -1`);
    }
    await eventually(() => onReconnected.mock.calls.length === 1, 'the reconnection');
    expect(await backends()).toHaveLength(1);
  });

  it('drops the connection and tries again when catching up fails', async () => {
    const onReconnected = jest
      .fn<Promise<void>, []>()
      .mockRejectedValueOnce(new Error('reload failed'))
      .mockResolvedValue(undefined);
    const { instance, logger, backends } = listener({ onReconnected });
    await instance.start();
    await terminate((await backends()).map((b) => b.pid));
    await eventually(() => logger.log.mock.calls.length > 0, 'a successful reconnection');
    expect(onReconnected).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith('The test listener could not catch up after reconnecting: reload failed');
    // The connection whose catch-up failed is not left open beside the new one.
    await eventually(async () => (await backends()).length === 1, 'one connection');
  });

  it('ends its connection on close() and stops reconnecting, even during the delay or the first connect', async () => {
    const healthy = listener();
    await healthy.instance.start();
    await healthy.instance.close();
    await eventually(async () => (await healthy.backends()).length === 0, 'the connection closed');

    const onReconnected = jest.fn();
    const dropped = listener({ onReconnected });
    await dropped.instance.start();
    await terminate((await dropped.backends()).map((b) => b.pid));
    await eventually(() => dropped.logger.warn.mock.calls.length > 0, 'the drop noticed');
    await dropped.instance.close();

    const starting = listener();
    const start = starting.instance.start();
    await starting.instance.close();
    await start;

    await sleep(RECONNECT_DELAY_MS * 6);
    expect(onReconnected).not.toHaveBeenCalled();
    expect(await dropped.backends()).toEqual([]);
    expect(await starting.backends()).toEqual([]);
  });
});
