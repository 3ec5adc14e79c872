// The demo page: plain browser JavaScript, no framework, no inline script (the CSP forbids it).
// Everything shown comes from the server or the emulator and is written with textContent, never innerHTML.

const $ = (id) => document.getElementById(id);

/** Refresh once three quarters of the remaining lifetime have passed, never sooner than 5 s. */
const REFRESH_SHARE = 0.75;
const MIN_REFRESH_MS = 5000;

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
  $('widget-snippet').textContent = [
    "// In your app, with hotglue's widget (@hotglue/widget):",
    `const { token } = await (await fetch('/hotglue/token', { headers: { Authorization } })).json();`,
    `HotGlue.open('${current.tenantId}', { jwtToken: token });`,
  ].join('\n');
  scheduleRefresh();
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

/** Exactly what hotglue's widget sends: the public key in x-api-key and the tenant JWT as `token`. */
async function loadLinkedSources() {
  const { apiUrl, envId, flowId, publicApiKey } = session.widget;
  const path = [envId, flowId, current.tenantId].map(encodeURIComponent).join('/');
  const url = new URL(`${apiUrl}/${path}/linkedSources`);
  url.searchParams.set('token', current.token);
  const response = await fetch(url, {
    headers: { 'x-api-key': publicApiKey },
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (!response.ok) throw new Error(`linkedSources answered ${response.status}`);
  const sources = await response.json();
  const list = $('sources');
  list.replaceChildren();
  for (const source of sources) {
    const item = document.createElement('li');
    item.textContent = `${source.label ?? source.tap} (${source.tap})`;
    list.append(item);
  }
  if (sources.length === 0) list.append(Object.assign(document.createElement('li'), { textContent: 'none' }));
}

async function start() {
  try {
    await signIn();
    await fetchToken();
    setInterval(tickCountdown, 1000);
    tickCountdown();
    await loadLinkedSources();
    status('Ready: token fetched and linked sources loaded with it.');
  } catch (error) {
    status(error.message, true);
  }
}

start();
