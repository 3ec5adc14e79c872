/**
 * Leak checks for secrets in error messages, logs and serialised objects.
 *
 * A secret leaks when any 16-character run of it shows up, not only when the whole value does: a message that
 * quotes "the first line of your key" or a truncated value is a leak too. PEM armor lines
 * (the `BEGIN ...` / `END ...` lines between dashes) are public constants shared by every key and may be named in messages
 * ("expected a PRIVATE KEY block"), so windows that lie entirely inside one are not checked; every window that
 * touches the key's body is.
 */
export const LEAK_WINDOW = 16;

const ARMOR_LINE = /-----(?:BEGIN|END) [A-Z0-9 ]+-----/g;

/** Every 16-character window of `secret` that is not entirely inside a PEM armor line. */
export function secretWindows(secret: string, size = LEAK_WINDOW): string[] {
  if (secret.length <= size) return secret.length > 0 ? [secret] : [];
  const armor = [...secret.matchAll(ARMOR_LINE)].map((m) => [m.index, m.index + m[0].length] as const);
  const windows = new Set<string>();
  for (let i = 0; i + size <= secret.length; i++) {
    const inArmor = armor.some(([start, end]) => i >= start && i + size <= end);
    if (!inArmor) windows.add(secret.slice(i, i + size));
  }
  return [...windows];
}

/** The first window of any of `secrets` found in `text`, or undefined when none is. */
export function findLeak(text: string, secrets: readonly string[]): string | undefined {
  for (const secret of secrets) {
    if (secret.length > 0 && text.includes(secret)) return secret;
    for (const window of secretWindows(secret)) {
      if (text.includes(window)) return window;
    }
  }
  return undefined;
}

/** Throws (failing the test) when `text` contains any secret or any 16-character window of one. */
export function expectNoLeak(text: string, secrets: readonly string[], what = 'text'): void {
  const leak = findLeak(text, secrets);
  if (leak !== undefined) {
    // Name only the start of a long leak: the failure output should not spread the secret further.
    const shown = leak.length > 24 ? `${leak.slice(0, 16)}...` : leak;
    throw new Error(
      `${what} leaks a secret: it contains the ${leak.length}-character slice ${JSON.stringify(shown)}`,
    );
  }
}

/** The forms of a PEM private key that must never appear: the PEM, its body without breaks, and its base64. */
export function pemSecretForms(pem: string): string[] {
  const body = pem
    .replace(ARMOR_LINE, '')
    .replace(/^[A-Za-z-]+:.*$/gm, '')
    .replace(/\s+/g, '');
  return [pem, body, Buffer.from(pem).toString('base64')];
}
