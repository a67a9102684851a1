import { redactUrl } from '@gemeng/core';
import { describeQueueConnection, queueConnectionFor, QUEUE_SCHEMA } from './queue-connection';

describe('queue connection', () => {
  const databaseUrl = 'postgres://gemeng:secret@db.internal:5432/gemeng';

  it('uses Redis when REDIS_URL is set', () => {
    expect(queueConnectionFor('redis://:pw@cache:6379/2', databaseUrl)).toEqual({
      backend: 'redis',
      url: 'redis://:pw@cache:6379/2',
    });
  });

  it('falls back to the platform database, in its own schema, without REDIS_URL', () => {
    expect(queueConnectionFor(undefined, databaseUrl)).toEqual({
      backend: 'postgres',
      url: databaseUrl,
      schema: QUEUE_SCHEMA,
    });
    expect(QUEUE_SCHEMA).not.toBe('platform');
    expect(QUEUE_SCHEMA.startsWith('t_')).toBe(false);
  });

  it('never shows a password in what it logs', () => {
    expect(describeQueueConnection(queueConnectionFor(undefined, databaseUrl))).toBe(
      'PostgreSQL at postgres://gemeng:***@db.internal:5432/gemeng, schema "bullmq"',
    );
    expect(describeQueueConnection(queueConnectionFor('redis://:pw@cache:6379', databaseUrl))).toBe(
      'Redis at redis://:***@cache:6379',
    );
    expect(redactUrl('not a url secret')).not.toContain('secret');
  });
});
