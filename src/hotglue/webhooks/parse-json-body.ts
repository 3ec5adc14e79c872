/**
 * `JSON.parse` for a signed webhook body, without any `__proto__` key at any depth.
 *
 * `JSON.parse` itself makes `"__proto__"` an own data property, which is harmless until a host copies the
 * event with assignment (`Object.assign({}, event.raw)`, `out[key] = value`): then it becomes the copy's
 * prototype. hotglue never sends such a key, so dropping it loses nothing. The walk is iterative:
 * a 1 MiB body can nest far deeper than the call stack allows.
 *
 * The walk is skipped when the text cannot hold such a key: a JSON key spells `__proto__` either literally
 * or with `\u` escapes (the only escapes that yield letters or `_`), so a text with neither substring has
 * none. That is nearly every hotglue body, and saves the walk's allocations on every delivery.
 */
export function parseJsonBody(text: string): unknown {
  const root: unknown = JSON.parse(text);
  if (!text.includes('__proto__') && !text.includes('\\u')) return root;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    // Reflect.deleteProperty removes the own data property; it never touches the prototype.
    if (Object.hasOwn(value, '__proto__')) Reflect.deleteProperty(value, '__proto__');
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === 'object') pending.push(child);
    }
  }
  return root;
}
