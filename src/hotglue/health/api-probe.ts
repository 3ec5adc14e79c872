/** Outcome of one reachability probe of the hotglue API. */
export type ApiProbeResult =
  | { readonly reachable: true; readonly status: number; readonly responseTimeMs: number }
  | { readonly reachable: false; readonly reason: 'timeout' | 'connection'; readonly responseTimeMs: number };

/**
 * Sends one unauthenticated `GET` to the API base URL. Any HTTP answer (even 401 or 404) proves the host is
 * reachable; only a timeout or a network error does not. No API key or token is sent: a health probe runs
 * often, is logged by proxies, and does not need to prove credentials.
 */
export async function probeApi(
  apiUrl: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ApiProbeResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(`${apiUrl}/`, { method: 'GET', redirect: 'manual', signal: combined });
    await response.body?.cancel();
    return { reachable: true, status: response.status, responseTimeMs: elapsed(started) };
  } catch {
    return {
      reachable: false,
      reason: timeout.aborted ? 'timeout' : 'connection',
      responseTimeMs: elapsed(started),
    };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
