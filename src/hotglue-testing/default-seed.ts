import { ICONS } from './catalog/icons.js';
import type { EmulatorFlow, JsonObject } from './emulator-options.js';

/** Id of the built-in V1 (source/target) flow. */
export const DEFAULT_V1_FLOW_ID = 'emuFlowV1';
/** Id of the built-in V2 (connector) flow. */
export const DEFAULT_V2_FLOW_ID = 'emuFlowV2';

/**
 * Where the emulated OAuth provider's consent page lives. A `tap_url` / `auth_url` / `target_url` that starts
 * with `/` is answered relative to the emulator's own URL (its port is only known once it listens), so the
 * widget's OAuth popup opens on loopback. The widget appends `&state=…`, hence the query already present.
 */
export const OAUTH_AUTHORIZE_PATH = '/_oauth/authorize';

/** What the widget needs to show Run Job, Full Sync and the schedule screen (see docs/hotglue-reference.md). */
const WIDGET_OPTIONS = {
  allowRunJobs: true,
  allowRunWriteJobs: true,
  allowFullSyncJobs: true,
  allowSyncSchedule: true,
};

/**
 * Flows an emulator has when the seed names none. No `type` on the source flow: the widget reads any truthy
 * `type` as "target flow" (see docs/hotglue-reference.md); `version: 2` makes the second one a connector flow.
 */
export function defaultFlows(): EmulatorFlow[] {
  return [
    {
      id: DEFAULT_V1_FLOW_ID,
      name: 'Emulator source flow',
      description: 'V1 flow seeded by HotglueEmulator',
      flowIcon: ICONS.flow,
      version: 1,
      widgetOptions: { ...WIDGET_OPTIONS },
    },
    {
      id: DEFAULT_V2_FLOW_ID,
      name: 'Emulator connector flow',
      description: 'V2 flow seeded by HotglueEmulator',
      flowIcon: ICONS.connectorFlow,
      version: 2,
      widgetOptions: { ...WIDGET_OPTIONS },
    },
  ];
}

/**
 * The environment's widget preferences (`GET /{env}/preferences`). `primaryColor` is required: without it
 * the widget's theme throws and nothing renders. `fontFamily` is a system stack so the widget never fetches
 * its CircularStd font from s3.amazonaws.com.
 */
export function defaultPreferences(): JsonObject {
  return {
    uiPreferences: {
      primaryColor: '#3366ff',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    },
    company: { name: 'hotglue emulator', logo: ICONS.company },
    jobsEnabled: true,
    writeJobsEnabled: true,
    fullSyncJobs: true,
    scheduleEnabled: true,
    jobHistoryEnabled: true,
    fieldMapsEnabled: true,
  };
}

/** A small discovered catalog: what `discover` leaves on a linked item and field maps offer. */
export function defaultCatalog(): JsonObject {
  const stream = (name: string, fields: string[]) => ({
    tap_stream_id: name,
    stream: name,
    schema: {
      type: 'object',
      properties: Object.fromEntries(fields.map((field) => [field, { type: ['null', 'string'] }])),
    },
    metadata: [{ breadcrumb: [], metadata: { selected: true } }],
  });
  return {
    streams: [
      stream('contacts', ['id', 'email', 'first_name', 'last_name']),
      stream('companies', ['id', 'name', 'domain']),
    ],
  };
}

/**
 * Source settings shaped like hotglue's (see docs/hotglue-reference.md): two OAuth sources
 * whose `tap_url` opens the emulator's consent page, and two API-key sources with a connect form. The first
 * API-key source's required fields are text, password and number only (the widget refuses to submit a form
 * with an empty required select); anything else in it is optional.
 */
export function defaultSupportedSources(): JsonObject[] {
  return [
    {
      tap: 'salesforce',
      label: 'Salesforce',
      domain: 'salesforce.com',
      type: 'oauth',
      icon: ICONS.salesforce,
      tap_url: `${OAUTH_AUTHORIZE_PATH}?provider=salesforce&response_type=code&client_id=emu-salesforce`,
      tags: ['crm'],
    },
    {
      tap: 'hubspot',
      label: 'HubSpot',
      domain: 'hubspot.com',
      type: 'oauth',
      icon: ICONS.hubspot,
      tap_url: `${OAUTH_AUTHORIZE_PATH}?provider=hubspot&response_type=code&client_id=emu-hubspot`,
      tags: ['crm'],
    },
    {
      tap: 'pipedrive',
      label: 'Pipedrive',
      domain: 'pipedrive.com',
      type: 'api',
      icon: ICONS.pipedrive,
      tags: ['crm'],
      connect_ui_params: {
        api_token: {
          label: 'API token',
          description: 'Pipedrive: Settings → Personal preferences → API',
          type: 'password',
        },
        company_domain: {
          label: 'Company domain',
          description: 'The part before .pipedrive.com',
          type: 'text',
        },
        lookback_days: { label: 'Days of history to sync', type: 'number' },
        region: {
          label: 'Data region',
          type: 'select',
          required: false,
          options: [
            { name: 'United States', value: 'us' },
            { name: 'European Union', value: 'eu' },
          ],
        },
        notes: { label: 'Notes', type: 'multiline', required: false },
      },
    },
    {
      tap: 'csv',
      label: 'CSV',
      domain: 'csv',
      type: 'api',
      icon: ICONS.csv,
      tags: ['files'],
      connect_ui_params: {
        url: { label: 'CSV file URL', type: 'text' },
        delimiter: { label: 'Delimiter', type: 'text', required: false },
      },
    },
  ];
}

/** Target settings shaped like hotglue's. */
export function defaultSupportedTargets(): JsonObject[] {
  return [
    {
      target: 'target-postgres',
      label: 'PostgreSQL',
      domain: 'postgresql.org',
      type: 'api',
      icon: ICONS.postgres,
      connect_ui_params: {
        host: { label: 'Host', type: 'text' },
        password: { label: 'Password', type: 'password' },
      },
    },
    {
      target: 'target-csv',
      label: 'CSV',
      domain: 'csv',
      type: 'api',
      icon: ICONS.csv,
      connect_ui_params: {},
    },
  ];
}

/**
 * V2 connectors shaped like the third-party OpenAPI schema of `linkedConnectors`
 * (https://apis.apis.io/apis/hotglue/hotglue-api-v2/).
 */
export function defaultSupportedConnectors(): JsonObject[] {
  return [
    {
      id: 'salesforce',
      label: 'Salesforce',
      domain: 'salesforce.com',
      type: 'oauth',
      icon: ICONS.salesforce,
      auth_url: `${OAUTH_AUTHORIZE_PATH}?provider=salesforce&response_type=code&client_id=emu-salesforce`,
    },
    {
      id: 'hubspot',
      label: 'HubSpot',
      domain: 'hubspot.com',
      type: 'oauth',
      icon: ICONS.hubspot,
      auth_url: `${OAUTH_AUTHORIZE_PATH}?provider=hubspot&response_type=code&client_id=emu-hubspot`,
    },
    {
      id: 'pipedrive',
      label: 'Pipedrive',
      domain: 'pipedrive.com',
      type: 'api',
      icon: ICONS.pipedrive,
      connect_ui_params: {
        api_token: { label: 'API token', type: 'password' },
        company_domain: { label: 'Company domain', type: 'text' },
      },
    },
  ];
}
