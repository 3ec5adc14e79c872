/** How the sample runs: against an in-process emulator, or against the configured hotglue. */
export type SampleMode = 'local' | 'configured';

/**
 * Local mode only when nothing says otherwise: no `HOTGLUE_*` variable set (blank counts as unset),
 * `NODE_ENV` is not `production`, and the caller allows it (`start:prod` passes `--prod`, which never
 * allows it, so a production box with a missing variable fails fast instead of signing with a dev key).
 */
export function decideSampleMode(env: Record<string, string | undefined>, allowLocal: boolean): SampleMode {
  if (!allowLocal || env.NODE_ENV === 'production') return 'configured';
  const anyHotglueVar = Object.entries(env).some(
    ([name, value]) => name.startsWith('HOTGLUE_') && value !== undefined && value.trim() !== '',
  );
  return anyHotglueVar ? 'configured' : 'local';
}
