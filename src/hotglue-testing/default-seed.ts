import type { EmulatorFlow, JsonObject } from './emulator-options.js';

/** Id of the built-in V1 (source/target) flow. */
export const DEFAULT_V1_FLOW_ID = 'emuFlowV1';
/** Id of the built-in V2 (connector) flow. */
export const DEFAULT_V2_FLOW_ID = 'emuFlowV2';

/** Flows an emulator has when the seed names none. */
export function defaultFlows(): EmulatorFlow[] {
  return [
    {
      id: DEFAULT_V1_FLOW_ID,
      name: 'Emulator source flow',
      description: 'V1 flow seeded by HotglueEmulator',
      type: 'source',
      version: 1,
    },
    {
      id: DEFAULT_V2_FLOW_ID,
      name: 'Emulator connector flow',
      description: 'V2 flow seeded by HotglueEmulator',
      type: 'connector',
      version: 2,
    },
  ];
}

/** Source settings shaped like hotglue's (hotglue-api.md §3 row 25). */
export function defaultSupportedSources(): JsonObject[] {
  return [
    {
      tap: 'salesforce',
      label: 'Salesforce',
      domain: 'salesforce.com',
      type: 'oauth',
      icon: 'https://emulator.invalid/icons/salesforce.svg',
      tags: ['crm'],
    },
    {
      tap: 'hubspot',
      label: 'HubSpot',
      domain: 'hubspot.com',
      type: 'oauth',
      icon: 'https://emulator.invalid/icons/hubspot.svg',
      tags: ['crm'],
    },
    { tap: 'csv', label: 'CSV', domain: 'csv', type: 'api', icon: '', tags: ['files'] },
  ];
}

/** Target settings shaped like hotglue's. */
export function defaultSupportedTargets(): JsonObject[] {
  return [
    { target: 'target-postgres', label: 'PostgreSQL', domain: 'postgresql.org', type: 'api' },
    { target: 'target-csv', label: 'CSV', domain: 'csv', type: 'api' },
  ];
}

/** V2 connectors shaped like the 3P schema of `linkedConnectors` (hotglue-api.md §3 row 13). */
export function defaultSupportedConnectors(): JsonObject[] {
  return [
    { id: 'salesforce', label: 'Salesforce', domain: 'salesforce.com', type: 'oauth', icon: '' },
    { id: 'hubspot', label: 'HubSpot', domain: 'hubspot.com', type: 'oauth', icon: '' },
  ];
}
