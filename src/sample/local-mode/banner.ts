/** Everything the local-mode banner shows. */
export interface BannerInput {
  readonly appUrl: string;
  readonly emulatorUrl: string;
  readonly envId: string;
  readonly bearer: string;
  readonly keyPath: string;
  readonly keyCreated: boolean;
  readonly authSecretGenerated: boolean;
  readonly docs: boolean;
  /** Where hotglue's widget script is, or why it is missing. */
  readonly widget?: string;
}

/** First line of the banner; tests and users grep for it. */
export const LOCAL_MODE_HEADLINE = 'nestjs-hotglue sample: LOCAL MODE (hotglue emulator, development key)';

/**
 * The text `npm start` prints in local mode (pure). The demo bearer is a local development credential for
 * this process only; no hotglue token is ever printed.
 */
export function renderLocalBanner(input: BannerInput): string {
  const line = '='.repeat(LOCAL_MODE_HEADLINE.length);
  return [
    line,
    LOCAL_MODE_HEADLINE,
    line,
    `  Demo page       ${input.appUrl}/`,
    `  Token endpoint  ${input.appUrl}/hotglue/token`,
    ...(input.docs ? [`  OpenAPI docs    ${input.appUrl}/docs`] : []),
    `  Health          ${input.appUrl}/health`,
    `  Emulator        ${input.emulatorUrl} (env ${input.envId})`,
    ...(input.widget ? [`  hotglue widget  ${input.widget}`] : []),
    `  Signing key     ${input.keyPath} (${input.keyCreated ? 'generated now' : 'reused'}, 0600, development only)`,
    ...(input.authSecretGenerated
      ? ['  APP_AUTH_SECRET not set: a random one was generated for this run.']
      : []),
    '',
    '  Demo bearer token (user demo-user, tenant demo):',
    `  ${input.bearer}`,
    '',
    '  Try it:',
    `  curl -s -H "Authorization: Bearer ${input.bearer}" ${input.appUrl}/hotglue/token`,
    '',
    '  Set the HOTGLUE_* variables (see README) to run against hotglue instead.',
    line,
  ].join('\n');
}
