import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { pipeline, Readable } from 'node:stream';
import type { S3Settings } from '@gemeng/core';
import {
  ContentMeter,
  DocumentStorage,
  StoredContentMissingError,
  storageObjectName,
  type StoredContent,
} from './document-storage';

/**
 * S3's smallest multipart part. An upload of unknown length (a multipart/form-data part has none) goes
 * up in parts: a file smaller than this is sent as one PutObject, a larger one part by part, one part in
 * memory at a time whatever the size of the file.
 */
const PART_SIZE = 5 * 1024 * 1024;

/**
 * Documents as objects `<commune slug>/<key>` in one bucket, on AWS S3 or any S3-compatible server
 * (MinIO, Ceph, Scaleway, ...). The bucket must stay private: no object is ever reachable by URL.
 */
export class S3DocumentStorage extends DocumentStorage implements OnApplicationShutdown {
  private readonly logger = new Logger(S3DocumentStorage.name);
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    super();
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      // The SDK's default CRC checksums use request encodings that many S3-compatible servers refuse;
      // integrity is checked by our own SHA-256, recorded with the document.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(commune: string, key: string, content: Readable): Promise<StoredContent> {
    const meter = new ContentMeter();
    let contentFailure: unknown;
    // The callback form hands a failure of `content` on to `meter` (the body being read), which makes
    // the upload fail; that failure (too large, the client gone) is the one to report.
    const body = pipeline(content, meter, (error) => (contentFailure = error ?? undefined));
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.settings.bucket,
        Key: storageObjectName(commune, key),
        Body: body,
        ContentType: 'application/octet-stream',
      },
      partSize: PART_SIZE,
      queueSize: 1,
    });
    try {
      await upload.done();
    } catch (error) {
      // The uploader aborts a multipart upload that failed; should the abort fail too, the bucket's
      // lifecycle rule removes the parts (see docs/documents.md). Deleting the key also covers a failure
      // after the object was complete (the answer to the last request lost on the way back).
      if (contentFailure && contentFailure !== error) {
        this.logger.warn(`Upload of ${commune}/${key} ended with ${String(error)} after its content failed`);
      }
      await this.delete(commune, key).catch((cleanup: unknown) =>
        this.logger.error(`Could not delete ${commune}/${key} after a failed upload: ${String(cleanup)}`),
      );
      throw contentFailure ?? error;
    }
    return meter.measured();
  }

  async open(commune: string, key: string): Promise<Readable> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: storageObjectName(commune, key) }),
      );
      if (!(object.Body instanceof Readable)) throw new Error(`The object ${commune}/${key} has no readable body`);
      return object.Body;
    } catch (error) {
      if (error instanceof NoSuchKey) throw new StoredContentMissingError(commune, key);
      throw error;
    }
  }

  async delete(commune: string, key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: storageObjectName(commune, key) }),
    );
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
