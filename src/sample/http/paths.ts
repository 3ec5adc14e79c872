import { fileURLToPath } from 'node:url';

/**
 * The repository root, found from this file's own location. The same two levels up hold for
 * `src/sample/http/` (run by tsx) and `dist/sample/http/` (built), so `npm start` and `npm run start:prod`
 * agree on where the demo page and `.local/` are without a copy step in the build.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The static demo page, always served from the sources (`src/sample/public`). */
export const PUBLIC_DIR = fileURLToPath(new URL('src/sample/public/', `file://${REPO_ROOT}`));

/** Default home of the development signing key (git-ignored). */
export const LOCAL_DIR = fileURLToPath(new URL('.local/', `file://${REPO_ROOT}`));
