/**
 * Text from outside (request paths, hotglue's messages, tenant ids) made safe for one log line: control
 * characters (C0, DEL, C1, U+2028/U+2029), which could forge a line or drive an operator's terminal, become
 * visible `\n`, `\x1b`, `\u2028` escapes. What any host app logging outside text needs; ten lines of its own.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function logSafe(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return (
      NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`)
    );
  });
}
