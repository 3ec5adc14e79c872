/** How the sample runs: against an in-process emulator, or against the configured hotglue. */
export type SampleMode = 'local' | 'configured';

/**
 * Variables that say how webhooks are processed, not which hotglue to use: they keep local mode (so
 * `npm start` can run the demo in queue mode against a local redis-server).
 */
const LOCAL_MODE_NEUTRAL = new Set(['HOTGLUE_WEBHOOK_QUEUE_REDIS_URL']);

/**
 * Local mode only when nothing says otherwise: no `HOTGLUE_*` variable set (blank counts as unset;
 * `HOTGLUE_WEBHOOK_QUEUE_REDIS_URL` does not count),
 * `NODE_ENV` is not `production`, and the caller allows it (`start:prod` passes `--prod`, which never
 * allows it, so a production box with a missing variable fails fast instead of signing with a dev key).
 */
export function decideSampleMode(env: Record<string, string | undefined>, allowLocal: boolean): SampleMode {
  if (!allowLocal || env.NODE_ENV === 'production') return 'configured';
  const anyHotglueVar = Object.entries(env).some(
    ([name, value]) =>
      name.startsWith('HOTGLUE_') &&
      !LOCAL_MODE_NEUTRAL.has(name) &&
      value !== undefined &&
      value.trim() !== '',
  );
  return anyHotglueVar ? 'configured' : 'local';
}
