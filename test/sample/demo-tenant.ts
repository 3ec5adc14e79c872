/** What the sample's `POST /demo/session` answers: a demo user's bearer and the widget's settings. */
export interface DemoSession {
  readonly bearer: string;
  readonly widget: { apiUrl: string; envId: string; flowId: string; publicApiKey: string };
}

/** A demo tenant of the sample at `sampleUrl`: its session, bearer header and tenant token. */
export interface DemoTenant {
  readonly session: DemoSession;
  readonly auth: { authorization: string };
  readonly token: string;
  /**
   * Calls hotglue (the emulator) the way the widget does: the tenant token as `token` and the public API
   * key, under `/{env}/{flow}/demo/{path}` (the demo session's tenant is `demo`).
   */
  widgetCall(path: string, body: unknown): Promise<Response>;
}

/** Opens a demo session on the sample and fetches the tenant token from its token endpoint. */
export async function demoTenant(sampleUrl: string): Promise<DemoTenant> {
  const session = (await (
    await fetch(`${sampleUrl}/demo/session`, { method: 'POST' })
  ).json()) as DemoSession;
  const auth = { authorization: `Bearer ${session.bearer}` };
  const { token } = (await (await fetch(`${sampleUrl}/hotglue/token`, { headers: auth })).json()) as {
    token: string;
  };
  const { apiUrl, envId, flowId, publicApiKey } = session.widget;
  return {
    session,
    auth,
    token,
    widgetCall: (path, body) =>
      fetch(`${apiUrl}/${envId}/${flowId}/demo/${path}?token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'x-api-key': publicApiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}
