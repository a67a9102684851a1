import { encodePayload, liveChannel, MAX_PAYLOAD_BYTES } from './live-channel';

const ESCH = '0b6c1a52-3f0e-4c55-9a55-0c1f3e8b2d11';

describe('live channels', () => {
  it('name the commune first, then the topic', () => {
    expect(liveChannel(ESCH, 'dossier:42')).toBe(`gemeng:live:${ESCH}:dossier:42`);
  });

  it('refuse a commune that is not an id, so that no topic can spell another commune', () => {
    expect(() => liveChannel(`${ESCH}:x`, 'dossier:1')).toThrow('A live channel needs a commune id');
    expect(() => liveChannel('esch', 'dossier:1')).toThrow('A live channel needs a commune id');
  });

  it('refuse empty, long or odd topics', () => {
    expect(() => liveChannel(ESCH, '')).toThrow('A live topic is 1 to 200');
    expect(() => liveChannel(ESCH, 'x'.repeat(201))).toThrow('A live topic is 1 to 200');
    expect(() => liveChannel(ESCH, 'dossier 1')).toThrow('A live topic is 1 to 200');
    expect(() => liveChannel(ESCH, 'dossier:*')).toThrow('A live topic is 1 to 200');
  });
});

describe('live payloads', () => {
  it('are flat JSON objects of ids and flags', () => {
    expect(encodePayload({ dossierId: 'a', eventId: '7', internal: false, by: null })).toBe(
      '{"dossierId":"a","eventId":"7","internal":false,"by":null}',
    );
  });

  it('refuse nested values and anything too big for a notification', () => {
    expect(() => encodePayload({ dossier: { id: 'a' } } as never)).toThrow('a flat object');
    expect(() => encodePayload({ text: 'x'.repeat(MAX_PAYLOAD_BYTES) })).toThrow(
      `at most ${MAX_PAYLOAD_BYTES} bytes of JSON, got ${MAX_PAYLOAD_BYTES + 11}`,
    );
  });
});
