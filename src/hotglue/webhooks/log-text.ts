/**
 * Text from outside (a webhook body's fields, a header) made safe for one log line: control characters
 * and non-ASCII are escaped (no forged line breaks or terminal escapes) and the length is capped.
 */
export function logText(value: unknown, max = 80): string {
  const raw = typeof value === 'string' ? value : String(value);
  const cut = raw.length > max ? `${raw.slice(0, max)}...` : raw;
  // JSON string escaping covers \n, \r, \t, \u0000-\u001f, quotes and backslashes; the rest is spelled \uXXXX.
  return JSON.stringify(cut).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
