import { escapeControlCharacters } from '../internal/escape-control-characters.js';

/**
 * Text from outside (a webhook body's fields, a header) made safe for one log line: quoted, its length
 * capped, and its control characters escaped as everywhere else in the library (`escapeControlCharacters`).
 */
export function logText(value: unknown, max = 80): string {
  const raw = typeof value === 'string' ? value : String(value);
  const cut = raw.length > max ? `${raw.slice(0, max)}...` : raw;
  return `"${escapeControlCharacters(cut)}"`;
}
