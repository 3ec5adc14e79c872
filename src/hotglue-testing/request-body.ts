import { createHash } from 'node:crypto';
import { badRequest, type EmulatorHttpError } from './http-error.js';
import type { MultipartBody, MultipartFile } from './routes/file-routes.js';

/** A request body as handlers get it, or the 400 to answer instead. */
export type ParsedBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: EmulatorHttpError };

/** Lower-cased media type without parameters (`multipart/form-data; boundary=…` → `multipart/form-data`). */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * multipart/form-data through Node's own WHATWG `Request` (undici): the same parser a browser-compatible
 * server would use, and no dependency. File parts are counted and hashed; their bytes are not kept.
 */
async function parseMultipart(bytes: Buffer, contentType: string): Promise<MultipartBody> {
  const form = await new Request('http://emulator.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: bytes,
  }).formData();
  const files: MultipartFile[] = [];
  const fields: Record<string, string> = {};
  for (const [field, value] of form) {
    if (typeof value === 'string') {
      if (!(field in fields)) fields[field] = value;
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    files.push({
      field,
      filename: value.name || field,
      type: value.type || 'application/octet-stream',
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  }
  return { multipart: true, files, fields };
}

/**
 * Parses a request body by its Content-Type: JSON (the default: the widget labels even bodiless requests
 * `application/json`), `multipart/form-data` (file upload) and `application/x-www-form-urlencoded` (the
 * consent page's form). Never throws.
 */
export async function parseRequestBody(bytes: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (bytes.length === 0) return { ok: true, value: undefined };
  const type = mediaType(contentType);
  try {
    if (type === 'multipart/form-data') return { ok: true, value: await parseMultipart(bytes, contentType!) };
    if (type === 'application/x-www-form-urlencoded') {
      return { ok: true, value: Object.fromEntries(new URLSearchParams(bytes.toString('utf8'))) };
    }
  } catch {
    return { ok: false, error: badRequest('Request body is not valid multipart/form-data') };
  }
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { ok: false, error: badRequest('Request body is not valid JSON') };
  }
}
