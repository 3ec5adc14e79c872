import type { UploadedFile } from '../emulator-store.js';
import { badRequest } from '../http-error.js';
import { asObject, type RouteDefinition } from './route.js';

/** A multipart part as `dispatch` hands it over (the bytes already counted and hashed). */
export interface MultipartFile {
  readonly field: string;
  readonly filename: string;
  readonly type: string;
  readonly size: number;
  readonly sha256: string;
}

/** The body `dispatch` builds from a `multipart/form-data` request. */
export interface MultipartBody {
  readonly multipart: true;
  readonly files: readonly MultipartFile[];
  readonly fields: Readonly<Record<string, string>>;
}

function isMultipart(body: unknown): body is MultipartBody {
  return asObject(body)?.multipart === true;
}

/** The widget's file helpers under `/{env}/{flow}/{tenant}/taps/…` (see docs/hotglue-reference.md). */
export function fileRoutes(): RouteDefinition[] {
  const base = '/:env/:flow/:tenant/taps';
  return [
    {
      method: 'GET',
      path: `${base}/file`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => ctx.store.uploadedFiles(ctx.params.flow!, ctx.params.tenant!),
    },
    {
      method: 'POST',
      path: `${base}/file`,
      access: 'public',
      token: 'optional',
      // One part per file, named after the file; no Content-Type set by the widget, so the browser's
      // multipart boundary arrives as is.
      handler: (ctx) => {
        if (!isMultipart(ctx.body)) throw badRequest('Expected a multipart/form-data body with files');
        if (ctx.body.files.length === 0) throw badRequest('No file in the upload');
        const now = new Date(ctx.services.now()).toISOString();
        const files: UploadedFile[] = ctx.body.files.map((file) => ({
          name: file.filename,
          size: file.size,
          type: file.type,
          sha256: file.sha256,
          uploaded_at: now,
        }));
        ctx.store.addUploadedFiles(ctx.params.flow!, ctx.params.tenant!, files);
        return { files };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/file`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        ctx.store.clearUploadedFiles(ctx.params.flow!, ctx.params.tenant!);
        return {};
      },
    },
    // Pickers for google-sheets-beta and sftp-files: the emulator has no remote files to offer.
    { method: 'GET', path: `${base}/sheets`, access: 'public', token: 'optional', handler: () => [] },
    { method: 'GET', path: `${base}/sftp`, access: 'public', token: 'optional', handler: () => [] },
    {
      method: 'GET',
      path: `${base}/:tap/files`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => ({
        files: ctx.store.pickedFiles(ctx.params.flow!, ctx.params.tenant!, ctx.params.tap!),
      }),
    },
    {
      method: 'POST',
      path: `${base}/:tap/files`,
      access: 'public',
      token: 'optional',
      handler: (ctx) => {
        const files = asObject(ctx.body)?.files;
        if (!Array.isArray(files)) throw badRequest('Missing required field: files');
        ctx.store.setPickedFiles(ctx.params.flow!, ctx.params.tenant!, ctx.params.tap!, files);
        return {};
      },
    },
  ];
}
