// The demo page: plain browser JavaScript, no framework, no inline script (the CSP forbids it).
// Everything shown comes from the server, the emulator or the widget and is written with textContent.

const $ = (id) => document.getElementById(id);

/** Refresh once three quarters of the remaining lifetime have passed, never sooner than 5 s. */
const REFRESH_SHARE = 0.75;
const MIN_REFRESH_MS = 5000;
/**
 * The widget's listener callbacks the page shows (see docs/hotglue-reference.md), all but `onPopupOpen`: widget
 * 1.4.63 builds its argument from the entity last selected on a form or copy screen, so when an OAuth card is
 * the first thing clicked it throws "Cannot read properties of undefined (reading 'tap')" before opening the
 * popup (and later it names the wrong source). `onPopupClose` gets the right id.
 */
const CALLBACKS = [
  'onWidgetOpen',
  'onWidgetClose',
  'onPopupClose',
  'onSourceLinked',
  'onSourceLinkCanceled',
  'onSourceLinkFailed',
  'onSourceUnlinked',
  'onTargetLinked',
  'onTargetLinkFailed',
  'onTargetUnlinked',
  'onConnectorLinked',
  'onConnectorLinkCanceled',
  'onConnectorLinkFailed',
  'onConnectorUnlinked',
  'onReconnect',
  'onStartJob',
  'onFieldMapSave',
  'onCustomMappingSave',
  'onError',
  'onNetworkError',
];
/** Callbacks after which the backend's view of linked sources may have changed. */
const QUIET = new Set(['onWidgetOpen']);

let session;
let current;
let fetchCount = 0;
let refreshTimer;

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

/** Stand-in for your app's login: local mode hands out the demo user's bearer token. */
async function signIn() {
  const response = await fetch('/demo/session', { method: 'POST', cache: 'no-store' });
  if (!response.ok) throw new Error(`sign-in failed (${response.status})`);
  session = await response.json();
  $('user').textContent = session.userId;
  $('tenants').textContent = session.tenants.join(', ');
}

/** Your backend's token endpoint, called with your app's own auth. */
async function fetchToken() {
  const response = await fetch('/hotglue/token', {
    headers: { Authorization: `Bearer ${session.bearer}` },
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`GET /hotglue/token answered ${response.status}`);
  current = await response.json();
  fetchCount += 1;
  $('fetch-count').textContent = String(fetchCount);
  $('tenant').textContent = current.tenantId;
  // Show only the start of the token: it is a credential for this tenant.
  $('token-preview').textContent = `${current.token.slice(0, 24)}… (${current.token.length} chars)`;
  scheduleRefresh();
  return current;
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const remaining = Date.parse(current.expiresAt) - Date.now();
  const delay = Math.max(MIN_REFRESH_MS, remaining * REFRESH_SHARE);
  $('refresh-at').textContent = new Date(Date.now() + delay).toLocaleTimeString();
  refreshTimer = setTimeout(() => {
    refresh().catch((error) => status(error.message, true));
  }, delay);
}

async function refresh() {
  await fetchToken();
  await loadLinkedSources();
  status(`Token refreshed at ${new Date().toLocaleTimeString()}.`);
}

function tickCountdown() {
  if (!current) return;
  const seconds = Math.max(0, Math.floor((Date.parse(current.expiresAt) - Date.now()) / 1000));
  const mm = String(Math.floor(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  $('countdown').textContent = `${mm}:${ss}`;
}

/** Your backend's view of the tenant's linked sources (through HotglueClient, server-side). */
async function loadLinkedSources() {
  const response = await fetch('/hotglue/linked-sources', {
    headers: { Authorization: `Bearer ${session.bearer}` },
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`GET /hotglue/linked-sources answered ${response.status}`);
  const { linkedSources } = await response.json();
  const list = $('sources');
  list.replaceChildren();
  for (const source of linkedSources) {
    const item = document.createElement('li');
    item.dataset.tap = source.tap;
    item.textContent = `${source.label ?? source.tap} (${source.tap}) `;
    // The backend says whether a provider call can work (an OAuth source with a provider API); an API-key
    // source has no OAuth token to call with, so the page says why instead of offering a call that fails.
    if (source.providerCall) {
      const call = Object.assign(document.createElement('button'), {
        type: 'button',
        textContent: 'Call its API',
      });
      call.addEventListener('click', () => loadProfile(source.tap));
      item.append(call);
    } else {
      const note = Object.assign(document.createElement('small'), {
        className: 'no-provider-call',
        textContent: source.providerCallNote ?? 'No provider call for this source.',
      });
      item.append(note);
    }
    list.append(item);
  }
  if (linkedSources.length === 0)
    list.append(Object.assign(document.createElement('li'), { textContent: 'none' }));
}

/** Your backend calls the provider with the tenant's credentials and returns only the non-secret answer. */
async function loadProfile(tap) {
  const response = await fetch(`/hotglue/sources/${encodeURIComponent(tap)}/profile`, {
    headers: { Authorization: `Bearer ${session.bearer}` },
    cache: 'no-store',
  });
  const body = await response.json();
  const target = $('profile');
  target.dataset.tap = tap;
  target.dataset.status = String(response.status);
  if (response.ok) {
    const { displayName, organization, id } = body.profile;
    target.textContent = `${tap}: ${displayName ?? id ?? 'profile'}${organization?.name ? ` at ${organization.name}` : ''}`;
  } else {
    // 409: revoked, the tenant must reconnect; 404: not linked or no provider API; 422: no OAuth token.
    target.textContent = `${tap}: ${response.status} ${body.message}`;
  }
}

/** The webhooks your backend processed, newest first (one entry per event, duplicates never added). */
async function loadHotglueEvents() {
  await loadWebhookQueue();
  const response = await fetch('/hotglue/events', {
    headers: { Authorization: `Bearer ${session.bearer}` },
    cache: 'no-store',
  });
  if (!response.ok) return;
  const events = await response.json();
  const list = $('hotglue-events');
  list.replaceChildren(...jobRows(events).map(eventRow));
}

/**
 * One row per job, at its newest webhook (the list is newest first): a job's row follows its webhooks to
 * the final status (`JOB_COMPLETED`, `SYNC_FAILED`, ...) and lists the statuses it went through, instead
 * of one frozen row per status. Other events keep a row each.
 */
function jobRows(events) {
  const seen = new Map();
  const rows = [];
  for (const event of events) {
    if (event.kind !== 'job' || !event.jobId) {
      rows.push(event);
      continue;
    }
    const row = seen.get(event.jobId);
    if (row) {
      row.history.unshift(event.status);
      continue;
    }
    const fresh = { ...event, history: [event.status] };
    seen.set(event.jobId, fresh);
    rows.push(fresh);
  }
  return rows;
}

function eventRow(event) {
  const item = document.createElement('li');
  item.dataset.kind = event.kind;
  let what = '';
  if (event.kind === 'connection') what = `${event.action} ${event.entity} ${event.entityId}`;
  else if (event.kind === 'job') {
    item.dataset.jobId = event.jobId ?? '';
    item.dataset.status = event.status ?? '';
    const path = event.history && event.history.length > 1 ? ` (${event.history.join(' → ')})` : '';
    what = `${event.status ?? ''} ${event.jobId ?? ''}${path}`;
  } else if (event.kind === 'discover') what = `${event.status ?? ''} ${event.jobId ?? ''}`;
  item.textContent = `${new Date(event.receivedAt).toLocaleTimeString()} ${event.kind}: ${what}`;
  return item;
}

/** Queue mode: deliveries queued, running, waiting for a retry, failed and processed (hidden inline). */
async function loadWebhookQueue() {
  const response = await fetch('/hotglue/webhook-queue', {
    headers: { Authorization: `Bearer ${session.bearer}` },
    cache: 'no-store',
  });
  if (!response.ok) return;
  const queue = await response.json();
  const line = $('webhook-queue');
  line.hidden = queue.mode !== 'queue';
  const list = $('webhook-deliveries');
  list.hidden = queue.mode !== 'queue';
  if (queue.mode === 'queue') {
    line.textContent =
      `queue: ${queue.waiting} queued, ${queue.active} processing, ${queue.delayed} waiting for a retry, ` +
      `${queue.failed} failed, ${queue.completed} processed`;
    list.replaceChildren(...(queue.deliveries ?? []).map(deliveryRow));
  }
}

/** One delivery of the queue and where it stands: queued, processing, retrying, failed or processed. */
function deliveryRow(delivery) {
  const item = document.createElement('li');
  item.dataset.deliveryId = delivery.id;
  item.dataset.state = delivery.state;
  const at = delivery.receivedAt ? new Date(delivery.receivedAt).toLocaleTimeString() : '';
  const tries =
    delivery.attemptsMade > 0
      ? ` after ${delivery.attemptsMade} tr${delivery.attemptsMade > 1 ? 'ies' : 'y'}`
      : '';
  item.textContent = `${at} delivery ${delivery.id}: ${delivery.state}${tries}`;
  return item;
}

/** A short, credential-free description of one callback argument. */
function describe(value) {
  if (value === undefined || value === null) return String(value);
  if (typeof value !== 'object') return String(value);
  // Entities arrive as objects: show their id only (a linked entity may carry config).
  return String(value.tap ?? value.target ?? value.id ?? value.name ?? '[object]');
}

function logEvent(name, args) {
  const item = document.createElement('li');
  item.dataset.event = name;
  item.textContent = `${new Date().toLocaleTimeString()} ${name}(${args.map(describe).join(', ')})`;
  $('events').prepend(item);
  if (!QUIET.has(name)) loadLinkedSources().catch((error) => status(error.message, true));
  // An OAuth source just linked: show what the backend can now read with the tenant's credentials.
  const linked = name === 'onSourceLinked' ? args[0] : undefined;
  if (linked?.type === 'oauth') loadProfile(linked.tap).catch((error) => status(error.message, true));
}

/** One listener object whose callbacks all land in the page's event list. */
const listener = Object.fromEntries(CALLBACKS.map((name) => [name, (...args) => logEvent(name, args)]));

function renderSnippet() {
  const { apiUrl, envId, publicApiKey } = session.widget;
  $('widget-snippet').textContent = [
    '<script src="/assets/hotglue.js"></script>  <!-- dist/hotglue.js of @hotglue/widget -->',
    '',
    `HotGlue.mount({ api_key: '${publicApiKey}', env_id: '${envId}', api_url: '${apiUrl}' });`,
    '',
    'async function connect() {',
    '  // A fresh token for every open: the widget cannot refresh one by itself.',
    `  const { token } = await (await fetch('/hotglue/token', { headers: { Authorization } })).json();`,
    '  // multipleSources: otherwise, once one source is linked, the widget disables the others.',
    `  HotGlue.open('${current?.tenantId ?? 'demo'}', { jwtToken: token, multipleSources: true, listener: { onSourceLinked, onSourceUnlinked, onStartJob } });`,
    '}',
  ].join('\n');
}

/** Loads hotglue's widget script served by the sample (fetched from npm on the first local-mode start). */
function loadWidgetScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

async function mountWidget() {
  const info = session.widgetScript;
  if (!info?.available) {
    $('widget-status').textContent = `hotglue's widget is not available: ${info?.hint ?? 'unknown reason'}`;
    $('widget-status').className = 'error';
    return false;
  }
  await loadWidgetScript(info.url);
  const { apiUrl, envId, publicApiKey } = session.widget;
  window.HotGlue.mount({ api_key: publicApiKey, env_id: envId, api_url: apiUrl });
  await window.HotGlue.hasMountedAsync();
  $('widget-status').textContent = `hotglue's widget is mounted on ${apiUrl} (env ${envId}).`;
  $('connect').disabled = false;
  return true;
}

async function openWidget() {
  const { token, tenantId } = await fetchToken();
  // multipleSources: the demo tenant already has a linked source; without it the widget disables the others.
  window.HotGlue.open(tenantId, { jwtToken: token, listener, multipleSources: true });
}

async function start() {
  try {
    await signIn();
    await fetchToken();
    setInterval(tickCountdown, 1000);
    tickCountdown();
    renderSnippet();
    await loadLinkedSources();
    await loadHotglueEvents();
    setInterval(() => loadHotglueEvents().catch(() => undefined), 2000);
    $('connect').addEventListener('click', () => {
      openWidget().catch((error) => status(error.message, true));
    });
    const mounted = await mountWidget();
    status(
      mounted
        ? 'Ready: widget mounted, token fetched, linked sources loaded.'
        : 'Ready (without the widget).',
    );
  } catch (error) {
    status(error.message, true);
  }
}

start();
