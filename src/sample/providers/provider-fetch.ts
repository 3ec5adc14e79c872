import { request } from 'undici';

/** Largest provider answer read: a profile is a few hundred bytes. */
export const MAX_PROVIDER_BODY_BYTES = 64 * 1024;
/** Time limit of the whole provider call. */
export const PROVIDER_TIMEOUT_MS = 5_000;

/** What the provider answered; `json` is undefined when the body was not JSON. */
export type ProviderAnswer =
  | { readonly kind: 'response'; readonly status: number; readonly json: unknown }
  | { readonly kind: 'failure'; readonly reason: 'timeout' | 'too-large' | 'network' };

/**
 * `GET url` with `Authorization: Bearer <accessToken>`. Redirects are never followed (undici's `request`
 * does not): a 3xx would otherwise carry the bearer token to wherever `Location` points. Bounded in time
 * and size. Errors come back as a reason, never as an error object (undici's may quote the request).
 */
export async function getProviderJson(url: URL, accessToken: string): Promise<ProviderAnswer> {
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_PROVIDER_BODY_BYTES) {
        response.body.destroy();
        return { kind: 'failure', reason: 'too-large' };
      }
      chunks.push(chunk as Buffer);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      json = undefined;
    }
    return { kind: 'response', status: response.statusCode, json };
  } catch (error) {
    const name = (error as { name?: unknown })?.name;
    return {
      kind: 'failure',
      reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network',
    };
  }
}
