import { communeOrigin } from '@gemeng/core';
import { messageIdFor, notificationJobId, parseNotificationJob, slugOfSchema } from './identifiers';

describe('notification identifiers', () => {
  it('builds job ids that BullMQ accepts and that tell communes, rows and rounds apart', () => {
    expect(notificationJobId('esch', '42', 1)).toBe('outbox.esch.42.1');
    expect(notificationJobId('bech-kleinmacher', '7', 2)).toBe('outbox.bech-kleinmacher.7.2');
    const ids = [
      notificationJobId('esch', '1', 1),
      notificationJobId('dudelange', '1', 1),
      notificationJobId('esch', '11', 1),
      notificationJobId('esch', '1', 2),
      notificationJobId('a-1', '2', 1),
      notificationJobId('a', '12', 1),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      // BullMQ refuses custom ids that are integers or contain a colon.
      expect(id).not.toContain(':');
      expect(`${parseInt(id, 10)}`).not.toBe(id);
    }
  });

  it('refuses to build a job id from anything but a slug, a positive id and a round', () => {
    expect(() => notificationJobId('Esch', '1', 1)).toThrow(/slug/);
    expect(() => notificationJobId('esch:evil', '1', 1)).toThrow(/slug/);
    expect(() => notificationJobId('esch', '1:2', 1)).toThrow(/outbox id/);
    expect(() => notificationJobId('esch', '0', 1)).toThrow(/outbox id/);
    expect(() => notificationJobId('esch', '1', 0)).toThrow(/round/);
  });

  it('reads only well-formed job data', () => {
    expect(parseNotificationJob({ commune: 'esch', outboxId: '42' })).toEqual({ commune: 'esch', outboxId: '42' });
    expect(parseNotificationJob({ commune: 'esch', outboxId: 42 })).toBeUndefined();
    expect(parseNotificationJob({ commune: 't_esch', outboxId: '42' })).toBeUndefined();
    expect(parseNotificationJob({ commune: 'esch; DROP TABLE outbox', outboxId: '42' })).toBeUndefined();
    expect(parseNotificationJob({ outboxId: '42' })).toBeUndefined();
    expect(parseNotificationJob(null)).toBeUndefined();
  });

  it('gives each outbox row one Message-ID, the same at every attempt, distinct per commune', () => {
    expect(messageIdFor('esch', '42', 'gemeng.lu')).toBe('<outbox-42.esch@gemeng.lu>');
    expect(messageIdFor('esch', '42', 'gemeng.lu')).toBe(messageIdFor('esch', '42', 'gemeng.lu'));
    expect(messageIdFor('dudelange', '42', 'gemeng.lu')).not.toBe(messageIdFor('esch', '42', 'gemeng.lu'));
  });

  it("builds a commune's portal origin with the port only when it is not the scheme's own", () => {
    expect(communeOrigin({ publicScheme: 'http', baseDomain: 'localhost', publicPort: 3000 }, 'esch')).toBe(
      'http://esch.localhost:3000',
    );
    expect(communeOrigin({ publicScheme: 'https', baseDomain: 'gemeng.lu', publicPort: 443 }, 'esch')).toBe(
      'https://esch.gemeng.lu',
    );
    expect(communeOrigin({ publicScheme: 'http', baseDomain: 'gemeng.lu', publicPort: 80 }, 'esch')).toBe(
      'http://esch.gemeng.lu',
    );
    expect(communeOrigin({ publicScheme: 'https', baseDomain: 'gemeng.lu', publicPort: 80 }, 'esch')).toBe(
      'https://esch.gemeng.lu:80',
    );
  });

  it('maps the schema the outbox trigger notifies back to the slug, and nothing else', () => {
    expect(slugOfSchema('t_esch')).toBe('esch');
    expect(slugOfSchema('t_bech_kleinmacher')).toBe('bech-kleinmacher');
    expect(slugOfSchema('platform')).toBeUndefined();
    expect(slugOfSchema('t_')).toBeUndefined();
    expect(slugOfSchema('t_Esch')).toBeUndefined();
    expect(slugOfSchema('t_esch__x')).toBeUndefined();
  });
});
