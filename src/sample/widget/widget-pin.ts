/**
 * hotglue's widget as the demo page uses it. Pinned by version and by the registry's integrity hash of the
 * tarball, so a changed or tampered package is refused rather than run. Not a dependency of any kind: the
 * package pulls 251 packages for one self-contained file, so local mode fetches that one file instead.
 */
export const WIDGET_PACKAGE = '@hotglue/widget';
export const WIDGET_VERSION = '1.4.63';
/** `dist.integrity` of `@hotglue/widget@1.4.63` on the npm registry (SHA-512 of the .tgz). */
export const WIDGET_INTEGRITY =
  'sha512-hIyamCPhvIbetFhtHcY9/WMcOqKrRpKVZorigVXBSlpCr6M7mhbb+yxX+HTHWYPPIqUqV4grFhXjeLOOCZDPHw==';
/** The file inside the tarball that sets `window.HotGlue`. */
export const WIDGET_ENTRY = 'package/dist/hotglue.js';
/** Where the demo page loads it from (local mode only). */
export const WIDGET_SCRIPT_PATH = '/demo/hotglue-widget.js';
/** File name under the local directory. */
export const WIDGET_FILE = `hotglue-widget-${WIDGET_VERSION}.js`;
/** Sidecar recording the tarball integrity and the kept file's SHA-256, checked on every reuse. */
export const WIDGET_STAMP_FILE = `hotglue-widget-${WIDGET_VERSION}.json`;
/** A tarball the user dropped in the local directory by hand (offline machines); checked like a fetched one. */
export const WIDGET_TARBALL = `hotglue-widget-${WIDGET_VERSION}.tgz`;
/** What to do by hand when local mode could not fetch it. */
export const WIDGET_MANUAL_HINT =
  `On a machine that reaches the npm registry run \`npm pack ${WIDGET_PACKAGE}@${WIDGET_VERSION}\`, copy the ` +
  `.tgz it writes into .local/ as ${WIDGET_TARBALL}, and restart \`npm start\`: the tarball is checked against ` +
  'the pinned integrity hash and only dist/hotglue.js is kept.';
