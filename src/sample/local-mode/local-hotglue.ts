import { randomBytes } from 'node:crypto';
import type { HotglueModuleOptions } from '../../hotglue/index.js';
import { HotglueEmulator } from '../../hotglue-testing/index.js';
import { DEMO_TENANT_ID } from '../demo/demo-constants.js';
import { emulatedProviders, type ProviderRegistry } from '../providers/provider-registry.js';
import type { DemoWidgetSettings } from '../sample-options.js';
import { type DevSigningKey, loadOrCreateDevSigningKey } from './dev-signing-key.js';

/** A running emulator plus the hotglue options that point the app at it. */
export interface LocalHotglue {
  readonly emulator: HotglueEmulator;
  readonly hotglue: HotglueModuleOptions;
  readonly widget: DemoWidgetSettings;
  readonly devKey: DevSigningKey;
  /** The emulator's provider API for every tap (only its origin is allowed). */
  readonly providers: ProviderRegistry;
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
 * Starts a `HotglueEmulator` on loopback that trusts the development key and requires a JWT on tenant
 * requests (as a production environment should), seeds tenant `demo`, and returns the module options.
 */
export async function startLocalHotglue(localDir: string): Promise<LocalHotglue> {
  const devKey = loadOrCreateDevSigningKey(localDir);
  const emulator = await HotglueEmulator.start({
    jwtPublicKeys: [devKey.key.publicKeyPem],
    requireJwt: true,
  });
  emulator.linkSource(emulator.defaultFlowId, DEMO_TENANT_ID, {
    ...DEMO_LINKED_SOURCE,
    config: demoSourceConfig(emulator.providerUrl(DEMO_LINKED_SOURCE.tap)),
  });
  return {
    emulator,
    devKey,
    providers: emulatedProviders(emulator.url, (tap) => emulator.providerUrl(tap)),
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
