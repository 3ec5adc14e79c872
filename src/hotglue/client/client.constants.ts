/** Injection token of the undici `Pool` `HotglueClient` sends through (built once from the options). */
export const HOTGLUE_HTTP_POOL = Symbol('HOTGLUE_HTTP_POOL');
/** Injection token of the undici `Agent` provider calls (`HotglueClient.provider`) send through. */
export const HOTGLUE_PROVIDER_AGENT = Symbol('HOTGLUE_PROVIDER_AGENT');
