import { escapeControlCharacters } from '../internal/escape-control-characters.js';

/** hotglue's error fields: `Code` / `Message` (Chalice), or lowercase `code` / `message` (API Gateway). */
export interface HotglueErrorBody {
  readonly hotglueCode?: string;
  readonly hotglueMessage?: string;
}

const MAX_MESSAGE_LENGTH = 500;

/**
 * Reads `{ Code, Message }` or `{ code, message }` from an error body; a leading `ChaliceViewError:` is
 * stripped from the message, as hotglue's widget does. Non-JSON or other shapes give `{}`. `clean` (the
 * redactor) runs on both fields BEFORE the message is cut to 500 characters, so a cut can never leave half a
 * secret that the redactor would no longer recognise. Control characters are escaped, since both fields end
 * up in `HotglueApiError.message` and so in log lines (CR/LF or terminal escapes could forge or hide one).
 */
export function parseErrorBody(text: string, clean: (value: string) => string = (v) => v): HotglueErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const body = parsed as Record<string, unknown>;
  const rawCode = pickString(body.Code) ?? pickString(body.code);
  const code = rawCode === undefined ? undefined : escapeControlCharacters(clean(rawCode)).slice(0, 100);
  let message = pickString(body.Message) ?? pickString(body.message);
  if (message !== undefined) {
    message = escapeControlCharacters(clean(message.replace(/^\s*ChaliceViewError:\s*/, '')));
    if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
  }
  return {
    ...(code !== undefined ? { hotglueCode: code } : {}),
    ...(message !== undefined ? { hotglueMessage: message } : {}),
  };
}

function pickString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
