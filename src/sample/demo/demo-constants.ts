/** The local-mode demo user and its only tenant. */
export const DEMO_USER_ID = 'demo-user';
export const DEMO_TENANT_ID = 'demo';
