import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../emulator-options.js';
import type { EmulatorStore, LinkKind } from '../emulator-store.js';
import { badRequest, EmulatorHttpError, notFound } from '../http-error.js';
import { asObject, type RouteServices } from '../routes/route.js';
import { CONSENT_PAGE_CSP, renderConsentPage, renderDecisionPage } from './consent-page.js';
import { fakeOAuthCredential } from './fake-credential.js';
import { type OAuthRequestTarget, parseOAuthState } from './oauth-state.js';

/** Paths of the emulated OAuth provider; everything else is hotglue's API. */
export const OAUTH_PAGE_PREFIX = '/_oauth/';
/** Consent requests waiting for a decision; the oldest are dropped beyond this, so a loop cannot grow memory. */
const MAX_PENDING = 1_000;

/** An HTML or JSON answer of the consent pages. */
export interface PageResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

interface Pending extends OAuthRequestTarget {
  readonly provider: string;
}

const nameField: Record<LinkKind, string> = { source: 'tap', target: 'target', connector: 'id' };

function html(text: string): PageResponse {
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONSENT_PAGE_CSP,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` with the form's
      // POST, and the decision's Origin check needs the page's real origin. Nothing leaves the
      // emulator either way: the form posts back to it and the pages load nothing from elsewhere.
      'referrer-policy': 'same-origin',
    },
    body: Buffer.from(text),
  };
}

/**
 * The emulated OAuth provider a popup opens (`tap_url` / `auth_url` of the local catalogue): a consent page
 * reading the widget's `state` (tenant, flow, entity), and its form. "Allow" stores the linked item through
 * `EmulatorStore.link` with a fake credential in `config` (and clears a pending reconnect), so the widget's
 * 1 s polling finds it; "Deny" stores nothing. Requests are one-shot: the form carries a random id, never
 * the state itself, so a decision cannot be replayed or pointed at another tenant.
 */
export class OAuthConsent {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly services: RouteServices,
  ) {}

  /** Answers a `/_oauth/…` request; throws `EmulatorHttpError` for a bad one. */
  handle(method: string, path: string, query: Readonly<Record<string, string>>, body: unknown): PageResponse {
    if (path === `${OAUTH_PAGE_PREFIX}authorize` && method === 'GET') return this.authorize(query);
    if (path === `${OAUTH_PAGE_PREFIX}consent` && method === 'POST') return this.decide(asObject(body) ?? {});
    throw notFound('Resource not found');
  }

  private authorize(query: Readonly<Record<string, string>>): PageResponse {
    const target = parseOAuthState(query.state);
    if (!target) throw badRequest('Missing or unreadable state: open this page from the widget');
    const catalogEntry = this.validate(target);
    const existing = this.store.linkedOne(target.kind, target.flowId, target.tenantId, target.name);
    const requestId = randomBytes(18).toString('base64url');
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const provider = query.provider || target.name;
    this.pending.set(requestId, { ...target, provider });
    return html(
      renderConsentPage({
        provider,
        label: String(catalogEntry.label ?? target.name),
        tenantId: target.tenantId,
        flowId: target.flowId,
        requestId,
        reconnect: existing !== undefined,
      }),
    );
  }

  private decide(form: JsonObject): PageResponse {
    const requestId = typeof form.request === 'string' ? form.request : '';
    const request = this.pending.get(requestId);
    if (!request) throw badRequest('Unknown or already answered consent request');
    this.pending.delete(requestId);
    const catalogEntry = this.validate(request);
    const label = String(catalogEntry.label ?? request.name);
    if (form.decision !== 'allow') return html(renderDecisionPage(false, label));
    const existing = this.store.linkedOne(request.kind, request.flowId, request.tenantId, request.name);
    const credential = fakeOAuthCredential(this.services.baseUrl, request.provider, this.services.now());
    const { isReconnecting: _flag, ...previousConfig } = asObject(existing?.config) ?? {};
    const { isReconnecting: _top, disconnected: _gone, ...base } = existing ?? structuredClone(catalogEntry);
    this.store.link(request.kind, request.flowId, request.tenantId, request.name, {
      ...base,
      [nameField[request.kind]]: request.name,
      config: { ...previousConfig, ...credential },
    });
    return html(renderDecisionPage(true, label));
  }

  /** The catalogue entry being linked; refuses another environment, an unknown flow or entity. */
  private validate(target: OAuthRequestTarget): JsonObject {
    if (target.envId !== this.services.envId) throw notFound('Environment not found');
    if (!this.store.flow(target.flowId)) throw notFound('Flow not found');
    const catalog =
      target.kind === 'source'
        ? this.store.supportedSources
        : target.kind === 'target'
          ? this.store.supportedTargets
          : this.store.supportedConnectors;
    const entry = catalog.find((item) => item[nameField[target.kind]] === target.name);
    if (!entry) throw new EmulatorHttpError(404, `${target.name} is not in this environment's catalogue`);
    return entry;
  }
}
