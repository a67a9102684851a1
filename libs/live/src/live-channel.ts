/** Something that happened in a commune, pushed to subscribed clients. Small: ids, not documents. */
export type LiveEventPayload = Record<string, string | number | boolean | null>;

/** Every live channel starts with this; a Redis instance shared with other software sees only these. */
export const LIVE_CHANNEL_PREFIX = 'gemeng:live:';

/**
 * A payload travels as JSON through Redis or a PostgreSQL notification, whose limit is 8000 bytes for
 * the whole message. Ids fit in far less; a bigger payload is a mistake of the publisher.
 */
export const MAX_PAYLOAD_BYTES = 1000;

const COMMUNE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOPIC = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * The channel of one commune's topic: `gemeng:live:<commune id>:<topic>`. The commune id comes first
 * and has a fixed shape, so no topic of one commune can spell a channel of another.
 */
export function liveChannel(communeId: string, topic: string): string {
  if (!COMMUNE_ID.test(communeId)) throw new Error(`A live channel needs a commune id, got "${communeId}"`);
  if (!TOPIC.test(topic)) {
    throw new Error(`A live topic is 1 to 200 letters, digits and _ . : -, got "${topic}"`);
  }
  return `${LIVE_CHANNEL_PREFIX}${communeId}:${topic}`;
}

function isPayloadValue(value: unknown): value is LiveEventPayload[string] {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** True for a flat object of strings, numbers, booleans and nulls. */
export function isLiveEventPayload(value: unknown): value is LiveEventPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(isPayloadValue);
}

/** The payload as JSON, checked for shape and size before anything is committed or sent. */
export function encodePayload(payload: LiveEventPayload): string {
  if (!isLiveEventPayload(payload)) {
    throw new Error('A live event payload is a flat object of strings, numbers, booleans and nulls');
  }
  const json = JSON.stringify(payload);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new Error(`A live event payload is at most ${MAX_PAYLOAD_BYTES} bytes of JSON, got ${bytes}`);
  }
  return json;
}
