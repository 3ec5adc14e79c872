import type { HotglueModuleOptions } from '../../hotglue/index.js';
import { HotglueEmulator } from '../../hotglue-testing/index.js';
import { DEMO_TENANT_ID } from '../demo/demo-constants.js';
import type { DemoWidgetScript, DemoWidgetSettings } from '../sample-options.js';
import { ensureWidgetBundle } from '../widget/fetch-widget.js';
import { WIDGET_SCRIPT_PATH } from '../widget/widget-pin.js';
import { type DevSigningKey, loadOrCreateDevSigningKey } from './dev-signing-key.js';

/** A running emulator plus the hotglue options that point the app at it. */
export interface LocalHotglue {
  readonly emulator: HotglueEmulator;
  readonly hotglue: HotglueModuleOptions;
  readonly widget: DemoWidgetSettings;
  readonly devKey: DevSigningKey;
  readonly widgetScript: DemoWidgetScript;
  /** True when this start fetched the widget from the registry (first start). */
  readonly widgetFetched: boolean;
}

/** What the emulator of local mode is seeded with: one linked source for tenant `demo`. */
export const DEMO_LINKED_SOURCE = {
  tap: 'salesforce',
  label: 'Salesforce (demo)',
  domain: 'salesforce.com',
  type: 'oauth',
  // A fake credential: the sample must never return it (its endpoint projects to tap and label).
  config: { access_token: 'demo-access-token-not-real', instance_url: 'https://example.my.salesforce.com' },
};

/**
 * Makes hotglue's widget available under `widgetDir` (fetched once, then reused), starts a `HotglueEmulator` on loopback that trusts the development key and requires a JWT on tenant
 * requests (as a production environment should), seeds tenant `demo`, and returns the module options.
 */
export async function startLocalHotglue(localDir: string, widgetDir: string): Promise<LocalHotglue> {
  const devKey = loadOrCreateDevSigningKey(localDir);
  const bundle = await ensureWidgetBundle(widgetDir);
  const widgetScript: DemoWidgetScript = bundle.available
    ? { available: true, url: WIDGET_SCRIPT_PATH, path: bundle.path }
    : { available: false, reason: bundle.reason, hint: bundle.hint };
  const emulator = await HotglueEmulator.start({
    jwtPublicKeys: [devKey.key.publicKeyPem],
    requireJwt: true,
  });
  emulator.linkSource(emulator.defaultFlowId, DEMO_TENANT_ID, DEMO_LINKED_SOURCE);
  return {
    emulator,
    devKey,
    widgetScript,
    widgetFetched: bundle.available && bundle.fetched,
    hotglue: {
      envId: emulator.envId,
      signingKey: devKey.privateKeyPem,
      publicApiKey: emulator.publicApiKey,
      secretApiKey: emulator.secretApiKey,
      apiUrl: emulator.url,
      flowId: emulator.defaultFlowId,
    },
    widget: {
      apiUrl: emulator.url,
      envId: emulator.envId,
      flowId: emulator.defaultFlowId,
      publicApiKey: emulator.publicApiKey,
    },
  };
}
