/** Injection token of the undici `Pool` `HotglueClient` sends through (built once from the options). */
export const HOTGLUE_HTTP_POOL = Symbol('HOTGLUE_HTTP_POOL');
