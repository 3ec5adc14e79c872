import { randomBytes } from 'node:crypto';
import type { HotglueModuleOptions } from '../../hotglue/index.js';
import { HotglueEmulator } from '../../hotglue-testing/index.js';
import { DEMO_TENANT_ID } from '../demo/demo-constants.js';
import { EMULATED_PROFILES, type ProfileViews } from '../providers/provider-registry.js';
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
  /** The emulator's provider API answers `/me` for every tap. */
  readonly profiles: ProfileViews;
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
};

/**
 * The demo source's config, shaped like what the emulated OAuth consent stores: fake tokens (random per run;
 * the sample must never return them) that the emulated provider API accepts for an hour (then the emulator
 * refreshes them), and an `instance_url` that is the emulated provider, the only origin local mode allows.
 */
export function demoSourceConfig(providerUrl: string, now = Date.now()): Record<string, unknown> {
  return {
    access_token: `emu-at-${randomBytes(18).toString('base64url')}`,
    refresh_token: `emu-rt-${randomBytes(18).toString('base64url')}`,
    token_type: 'Bearer',
    expires_in: 3600,
    expires_at: new Date(now + 3_600_000).toISOString(),
    instance_url: providerUrl,
  };
}

/**
 * Makes hotglue's widget available under `widgetDir` (fetched once, then reused), starts a
 * `HotglueEmulator` on loopback that trusts the development key and requires a JWT on the tenant
 * requests where hotglue's widget sends one (`requireJwt: 'widget'`), seeds tenant `demo`, and returns the
 * module options.
 */
export async function startLocalHotglue(localDir: string, widgetDir: string): Promise<LocalHotglue> {
  const devKey = loadOrCreateDevSigningKey(localDir);
  const bundle = await ensureWidgetBundle(widgetDir);
  const widgetScript: DemoWidgetScript = bundle.available
    ? { available: true, url: WIDGET_SCRIPT_PATH, path: bundle.path }
    : { available: false, reason: bundle.reason, hint: bundle.hint };
  const emulator = await HotglueEmulator.start({
    jwtPublicKeys: [devKey.publicKeyPem],
    // The routes hotglue's own widget sends its token on: the widget calls jobs, discover, files and more
    // with the public key alone, so the strict reading (`true`) would refuse the demo page's Run Job.
    requireJwt: 'widget',
  });
  emulator.linkSource(emulator.defaultFlowId, DEMO_TENANT_ID, {
    ...DEMO_LINKED_SOURCE,
    config: demoSourceConfig(emulator.providerUrl(DEMO_LINKED_SOURCE.tap)),
  });
  return {
    emulator,
    devKey,
    profiles: EMULATED_PROFILES,
    widgetScript,
    widgetFetched: bundle.available && bundle.fetched,
    hotglue: {
      envId: emulator.envId,
      signingKey: devKey.privateKeyPem,
      publicApiKey: emulator.publicApiKey,
      secretApiKey: emulator.secretApiKey,
      apiUrl: emulator.url,
      flowId: emulator.defaultFlowId,
      // Every emulated tap and connector calls the emulator's provider API (its exact origin allowed).
      providers: emulator.providerEntries(),
    },
    widget: {
      apiUrl: emulator.url,
      envId: emulator.envId,
      flowId: emulator.defaultFlowId,
      publicApiKey: emulator.publicApiKey,
    },
  };
}
