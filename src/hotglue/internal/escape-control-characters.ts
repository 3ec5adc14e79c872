/**
 * C0 controls (U+0000-U+001F), DEL (U+007F), C1 controls (U+0080-U+009F) and the Unicode line and paragraph
 * separators (U+2028, U+2029): what lets outside text forge a log line (CR/LF), rewrite an operator's
 * terminal (ESC sequences, C1 CSI) or split a line in a JSON log viewer.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes text from outside (hotglue's error bodies, request paths, webhook payloads) safe for one log line
 * or an error message: every control character becomes a visible escape (`\n`, `\r`, `\t`, `\x1b`,
 * `\u0085`…), everything else is kept as it is, so the text stays readable and nothing is lost.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => {
    const named = NAMED[char];
    if (named) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
