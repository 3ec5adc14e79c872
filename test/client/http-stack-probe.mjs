// Registers a resolve hook that logs every resolution of the client's HTTP stack (undici) to
// HTTP_STACK_PROBE_LOG, so a spec can see whether booting and signing tokens loaded it.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      if (specifier === 'undici')
        appendFileSync(process.env.HTTP_STACK_PROBE_LOG, specifier + '\\n');
      return next(specifier, context);
    }
  `)}`,
);
