import { createHash, randomBytes, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';

/** What storing a stream measured on the way through. */
export interface StoredContent {
  sizeBytes: number;
  /** Lowercase hex. */
  sha256: string;
}

/**
 * Where the bytes of documents live. Every object belongs to one commune (by slug) and has a key the
 * platform generated; implementations keep communes apart by a directory or key prefix per commune.
 * Nothing here is ever reachable by a URL of its own: bytes leave only through the authorised route.
 */
export abstract class DocumentStorage {
  /**
   * Stores `content` under the key, measuring its size and SHA-256 while it streams. If the content
   * stream fails (too large, the client went away) or the storage does, nothing is left under the key.
   */
  abstract put(commune: string, key: string, content: Readable): Promise<StoredContent>;

  /** The stored bytes; throws {@link StoredContentMissingError} when there are none. */
  abstract open(commune: string, key: string): Promise<Readable>;

  /** Deletes the bytes; a key with nothing under it is not an error. */
  abstract delete(commune: string, key: string): Promise<void>;
}

export class StoredContentMissingError extends Error {
  constructor(commune: string, key: string) {
    super(`No stored content for ${commune}/${key}`);
    this.name = 'StoredContentMissingError';
  }
}

const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KEY = /^[0-9a-f]{32}$/;

/** A fresh storage key: 128 random bits, never derived from anything the uploader sent. */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * `<commune>/<key>`, after checking both: a key read back from a row is still never allowed to name a
 * path or object outside its commune's prefix.
 */
export function storageObjectName(commune: string, key: string): string {
  if (!SLUG.test(commune)) throw new Error(`Not a commune slug: ${JSON.stringify(commune)}`);
  if (!KEY.test(key)) throw new Error(`Not a document storage key: ${JSON.stringify(key)}`);
  return `${commune}/${key}`;
}

/** Passes bytes through unchanged, counting them and hashing them. */
export class ContentMeter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** Size and digest of everything that went through; call once, after the stream ended. */
  measured(): StoredContent {
    return { sizeBytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}
