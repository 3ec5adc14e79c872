/** What an exhausted job keeps: `Name (code)`, never a handler's message (it may quote anything). */
export function redactedFailure(error: unknown): Error {
  const name =
    error instanceof Error
      ? error.name
      : typeof error === 'object' && error !== null
        ? 'Object'
        : typeof error;
  const rawCode = (error as { code?: unknown } | null)?.code;
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : undefined;
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 80) || 'Error';
  const text = code === undefined ? safe(name) : `${safe(name)} (${safe(code)})`;
  const redacted = new Error(text);
  redacted.name = safe(name);
  // BullMQ keeps the stack of each failure: ours holds the same text, no frame of the host's code.
  redacted.stack = text;
  return redacted;
}
