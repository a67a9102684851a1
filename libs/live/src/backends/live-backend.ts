/** Receives what any instance published: the channel and its parsed JSON payload. */
export type LiveDelivery = (channel: string, payload: unknown) => void;

/** Carries live events between the instances of the platform. */
export interface LiveBackend {
  /** Sends `payload` (JSON) on `channel` to every listening instance, this one included. */
  publish(channel: string, payload: string): Promise<void>;
  /** Starts receiving every live channel; resolves once listening. Reconnects by itself after a drop. */
  listen(deliver: LiveDelivery): Promise<void>;
  close(): Promise<void>;
}

/** Parses a payload received from the backend; anything that is not JSON is dropped. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
