import { Controller, Get, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidInputError, type GemengConfig, type RequestContext } from '@gemeng/core';
import { attachmentDisposition, DocumentService, DocumentTooLargeError, type DocumentEntity } from '@gemeng/documents';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { httpRequestContext } from '../graphql/request-context.factory';
import { refusalFor, sendRefusal, type JsonRefusal } from './json-refusal';

/** Room for the multipart framing around the file (boundaries, part headers) in a request's length. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Headers a cross-site form cannot send: a page elsewhere that tries to post to this route with the
 * visitor's cookie would need a CORS preflight, which the platform never grants.
 */
const CSRF_HEADERS = ['x-requested-with', 'apollo-require-preflight'];

/** One file in a multipart/form-data body, as busboy reads it, and nothing else. */
interface SingleFileForm {
  /** The part named `file`, as soon as it starts. */
  file: Promise<{ name: string; content: Readable }>;
  /** Resolves once the whole body was read and held that one part only. */
  received: Promise<void>;
  /** The problem with the body, when the parser found one. */
  failure(): InvalidInputError | undefined;
  /** Stops parsing and drops the rest of the body, so that the client can read the answer. */
  stop(): void;
}

function formProblem(message: string): InvalidInputError {
  return new InvalidInputError('The upload cannot be accepted', [{ path: 'file', message }]);
}

function readSingleFile(req: Request): SingleFileForm {
  // The path is preserved so that a name such as `../../etc/passwd` is seen, and refused, rather than
  // quietly shortened. Browsers send file names as raw UTF-8.
  const parser = busboy({
    headers: req.headers,
    preservePath: true,
    defParamCharset: 'utf8',
    limits: { files: 1, fields: 1, parts: 2, headerPairs: 20 },
  });
  let failure: InvalidInputError | undefined;
  let stopped = false;
  let files = 0;
  let fileReady!: (file: { name: string; content: Readable }) => void;
  let fileFailed!: (error: Error) => void;
  let done!: () => void;
  let failed!: (error: Error) => void;
  const file = new Promise<{ name: string; content: Readable }>((resolve, reject) => {
    fileReady = resolve;
    fileFailed = reject;
  });
  const received = new Promise<void>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  // Whoever stops waiting early (a refused file name, say) must not leave an unhandled rejection behind.
  received.catch(() => undefined);
  const fail = (message: string): void => {
    if (stopped) return;
    failure ??= formProblem(message);
    fileFailed(failure);
    failed(failure);
  };
  parser.on('file', (name, content, info) => {
    // busboy fails the file stream with the parser's error (a truncated body); whoever reads the stream
    // later still gets that error, but until someone does (the uploader is looked up first) it must not
    // count as unhandled.
    content.on('error', () => undefined);
    files++;
    if (name !== 'file') {
      content.resume();
      fail('send the file in a part named "file"');
      return;
    }
    fileReady({ name: info.filename ?? '', content });
  });
  // A browser sends an empty file input as a part with an empty file name, which busboy reads as a field.
  parser.on('field', (name) =>
    fail(name === 'file' ? 'is missing: choose a file to upload' : 'send the file alone, in a part named "file"'),
  );
  parser.on('filesLimit', () => fail('send one file at a time'));
  parser.on('fieldsLimit', () => fail('send the file alone, in a part named "file"'));
  parser.on('partsLimit', () => fail('send the file alone, in a part named "file"'));
  parser.on('error', () => fail('the form data is incomplete or malformed'));
  parser.on('finish', () => {
    if (!files) fail('is missing: send it in a part named "file"');
    else done();
  });
  // A client that goes away mid-upload: the file stream fails, and whatever was stored of it is deleted.
  req.on('close', () => {
    if (!req.complete) parser.destroy(new Error('The client went away during the upload'));
  });
  req.pipe(parser);
  return {
    file,
    received,
    failure: () => failure,
    stop: () => {
      stopped = true;
      req.unpipe(parser);
      parser.destroy();
      req.resume();
    },
  };
}

/**
 * Documents over plain HTTP: `POST /documents` stages an upload (multipart/form-data, one part named
 * `file`) and `GET /documents/:id` streams a document to whoever may see it. Each service call here is
 * its own unit of work: an upload can take minutes, during which no pooled connection may be held.
 */
@Controller('documents')
export class DocumentsController {
  private readonly logger = new Logger(DocumentsController.name);

  constructor(
    private readonly documents: DocumentService,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  @Post()
  async upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = httpRequestContext(req, this.config);
    const refusal = this.refusalBeforeReading(req, ctx);
    if (refusal) {
      sendRefusal(res, refusal);
      return;
    }
    let form: SingleFileForm;
    try {
      form = readSingleFile(req);
    } catch {
      sendRefusal(res, this.describe(formProblem('send it as multipart/form-data, in a part named "file"')));
      return;
    }
    try {
      const { name, content } = await form.file;
      const document = await this.documents.stage(ctx, { fileName: name, content, received: form.received });
      res.status(201).json(this.summary(document));
    } catch (error) {
      // A malformed body also breaks the file stream; the parser's finding is the one worth telling.
      const refusal = this.describe(form.failure() ?? error);
      form.stop();
      sendRefusal(res, refusal);
    }
  }

  @Get(':id')
  async download(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const ctx = httpRequestContext(req, this.config);
    const refusal = this.unauthorised(ctx);
    if (refusal) {
      sendRefusal(res, refusal);
      return;
    }
    let opened: Awaited<ReturnType<DocumentService['open']>>;
    try {
      opened = await this.documents.open(ctx, id);
    } catch (error) {
      sendRefusal(res, this.describe(error));
      return;
    }
    const { document, content } = opened;
    res.status(200).set({
      'Content-Type': document.contentType,
      'Content-Length': String(document.sizeBytes),
      'Content-Disposition': attachmentDisposition(document.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      // Should a browser display it anyway, nothing in it may run or load anything.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    try {
      await pipeline(content, res);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.error(`Streaming document ${document.id} failed: ${String(error)}`);
      }
      res.destroy();
    }
  }

  /** What can be refused before reading a byte of the body: the caller, the anti-forgery header, the size. */
  private refusalBeforeReading(req: Request, ctx: RequestContext): JsonRefusal | undefined {
    const unauthorised = this.unauthorised(ctx);
    if (unauthorised) return unauthorised;
    if (!CSRF_HEADERS.some((name) => req.headers[name])) {
      return {
        status: 403,
        code: 'FORBIDDEN',
        message: 'Uploads must carry an X-Requested-With or Apollo-Require-Preflight header',
      };
    }
    const maxBytes = this.config.documents.maxUploadBytes;
    if (Number(req.headers['content-length'] ?? 0) > maxBytes + MULTIPART_OVERHEAD) {
      return this.describe(new DocumentTooLargeError(maxBytes));
    }
    return undefined;
  }

  private unauthorised(ctx: RequestContext): JsonRefusal | undefined {
    if (!ctx.commune) return { status: 404, code: 'NOT_FOUND', message: 'Documents are kept on commune hosts only' };
    if (!ctx.user) return { status: 401, code: 'UNAUTHENTICATED', message: 'Log in on this commune first' };
    return undefined;
  }

  private describe(error: unknown): JsonRefusal {
    if (error instanceof DocumentTooLargeError) {
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: error.message };
    }
    return refusalFor(error, this.logger, 'The document could not be handled');
  }

  private summary(document: DocumentEntity): Record<string, unknown> {
    return {
      id: document.id,
      fileName: document.fileName,
      contentType: document.contentType,
      sizeBytes: document.sizeBytes,
    };
  }
}
