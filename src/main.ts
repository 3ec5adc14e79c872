/**
 * Boots the sample app. `npm start` (tsx, sources): local mode when no HOTGLUE_* variable is set and
 * NODE_ENV is not production. `npm run start:prod` (`node dist/main.js --prod`): never local mode; exits 1
 * with the list of configuration problems when a setting is missing or bad.
 */
import 'reflect-metadata';
import { HotglueConfigError } from './hotglue/index.js';
import { type RunningSample, runSample } from './sample/run-sample.js';

let running: RunningSample;
try {
  running = await runSample({
    env: process.env,
    allowLocal: !process.argv.includes('--prod'),
    print: (text) => console.log(text),
  });
} catch (error) {
  if (error instanceof HotglueConfigError) {
    console.error(error.message);
  } else if (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
    // System errors (EADDRINUSE, EACCES, ...) name an address or a path, never a secret.
    console.error(`The sample failed to start: ${error.message}`);
  } else {
    // Name only: another bootstrap error could quote a setting's value (Nest has logged its stack already).
    console.error(`The sample failed to start: ${error instanceof Error ? error.name : String(error)}`);
  }
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
