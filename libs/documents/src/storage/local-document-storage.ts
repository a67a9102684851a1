import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ContentMeter,
  DocumentStorage,
  StoredContentMissingError,
  storageObjectName,
  type StoredContent,
} from './document-storage';

/**
 * Documents as files under `<root>/<commune slug>/<key>`. Directories are created 0700 and files 0600:
 * only the platform's own user reads them. A file is written under a `.partial` name, flushed to disk,
 * and renamed when complete, so a crash never leaves a half file under a real key.
 */
export class LocalDocumentStorage extends DocumentStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async put(commune: string, key: string, content: Readable): Promise<StoredContent> {
    const file = this.file(commune, key);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.partial`;
    const meter = new ContentMeter();
    try {
      await pipeline(content, meter, createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return meter.measured();
  }

  async open(commune: string, key: string): Promise<Readable> {
    try {
      const handle = await open(this.file(commune, key), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoredContentMissingError(commune, key);
      throw error;
    }
  }

  async delete(commune: string, key: string): Promise<void> {
    await rm(this.file(commune, key), { force: true });
  }

  private file(commune: string, key: string): string {
    return join(this.root, storageObjectName(commune, key));
  }
}
