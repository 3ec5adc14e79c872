// Registers a resolve hook that logs every resolution of the client's HTTP stack (undici) and of
// `node:fs/promises` to HTTP_STACK_PROBE_LOG, so a spec can see whether booting and signing tokens loaded
// them. (tsx itself loads fs/promises before any of this runs, so `process.moduleLoadList` cannot tell.)
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    const logged = new Set(['undici', 'fs/promises', 'node:fs/promises']);
    export async function resolve(specifier, context, next) {
      if (logged.has(specifier))
        appendFileSync(process.env.HTTP_STACK_PROBE_LOG, specifier.replace(/^node:/, '') + '\\n');
      return next(specifier, context);
    }
  `)}`,
);
