import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The only script these pages run: the popup closes itself once the answer is recorded. */
const CLOSE_SCRIPT = 'setTimeout(function () { window.close(); }, 300);';
const CLOSE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(CLOSE_SCRIPT).digest('base64')}'`;

/** CSP of the consent pages: no outside resource, one hashed script, forms post back to the emulator. */
export const CONSENT_PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  `script-src ${CLOSE_SCRIPT_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const STYLE =
  'body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#1d2330;margin:0}' +
  'main{max-width:420px;margin:3rem auto;background:#fff;border:1px solid #dde;border-radius:10px;padding:1.5rem}' +
  'h1{font-size:1.2rem;margin:0 0 .75rem}dl{display:grid;grid-template-columns:6rem 1fr;gap:.25rem .75rem}' +
  'dt{color:#556}dd{margin:0;font-weight:600;word-break:break-all}.actions{display:flex;gap:.75rem;margin-top:1.25rem}' +
  'button{font-size:1rem;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #99a;background:#fff;cursor:pointer}' +
  'button.allow{background:#3366ff;border-color:#3366ff;color:#fff}.note{color:#556;font-size:.85rem}';

function page(title: string, body: string, script = false): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="referrer" content="same-origin">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`,
    `<body><main>${body}</main>${script ? `<script>${CLOSE_SCRIPT}</script>` : ''}</body></html>`,
  ].join('');
}

/** What the consent page shows; every field is outside text and is escaped. */
export interface ConsentView {
  readonly provider: string;
  readonly label: string;
  readonly tenantId: string;
  readonly flowId: string;
  readonly requestId: string;
  readonly reconnect: boolean;
}

/** The emulated provider's "Allow / Deny" page. */
export function renderConsentPage(view: ConsentView): string {
  const verb = view.reconnect ? 'Reconnect' : 'Connect';
  return page(
    `${verb} ${view.label} (emulated)`,
    [
      `<h1>${escapeHtml(verb)} ${escapeHtml(view.label)}</h1>`,
      `<p>The hotglue emulator asks for access to your <strong>${escapeHtml(view.label)}</strong> data.`,
      ' This is an emulated provider: no real account is involved.</p>',
      '<dl>',
      `<dt>Tenant</dt><dd data-testid="consent-tenant">${escapeHtml(view.tenantId)}</dd>`,
      `<dt>Flow</dt><dd>${escapeHtml(view.flowId)}</dd>`,
      `<dt>Provider</dt><dd>${escapeHtml(view.provider)}</dd>`,
      '</dl>',
      '<form method="post" action="/_oauth/consent" class="actions">',
      `<input type="hidden" name="request" value="${escapeHtml(view.requestId)}">`,
      '<button type="submit" name="decision" value="allow" class="allow">Allow</button>',
      '<button type="submit" name="decision" value="deny">Deny</button>',
      '</form>',
    ].join(''),
  );
}

/** The page after a decision; it closes the popup, which the widget watches. */
export function renderDecisionPage(allowed: boolean, label: string): string {
  const text = allowed
    ? `${label} is connected. This window closes itself.`
    : `Access to ${label} was denied. Nothing was linked. This window closes itself.`;
  return page(
    allowed ? 'Connected' : 'Denied',
    `<h1 data-testid="consent-result">${escapeHtml(text)}</h1>`,
    true,
  );
}
