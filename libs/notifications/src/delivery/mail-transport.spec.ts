import { isPermanentSmtpError, senderAddress } from './mail-transport';

describe('mail transport helpers', () => {
  it('treats 5xx replies as permanent and everything else as worth another attempt', () => {
    expect(isPermanentSmtpError(Object.assign(new Error('550 5.1.1 no such user'), { responseCode: 550 }))).toBe(true);
    expect(isPermanentSmtpError(Object.assign(new Error('554 rejected'), { responseCode: 554 }))).toBe(true);
    expect(isPermanentSmtpError(Object.assign(new Error('451 try later'), { responseCode: 451 }))).toBe(false);
    expect(isPermanentSmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }))).toBe(false);
    expect(isPermanentSmtpError(undefined)).toBe(false);
  });

  it('takes the address out of a sender with a display name', () => {
    expect(senderAddress('Gemeng <no-reply@gemeng.lu>')).toBe('no-reply@gemeng.lu');
    expect(senderAddress('no-reply@gemeng.lu')).toBe('no-reply@gemeng.lu');
    expect(senderAddress('"Gemeng, the platform" <no-reply@gemeng.lu> ')).toBe('no-reply@gemeng.lu');
  });
});
