import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './parse-json-body.js';
import { parseHotglueEvent } from './parse-webhook-event.js';

const HOSTILE = JSON.stringify({
  event: 'LINKED_SOURCE_CREATED',
  tenant: 't',
  flow_id: 'f',
  tap: 'my-tap',
  polluted: { nested: [{ x: 1 }] },
}).replace('"polluted"', '"__proto__":{"isAdmin":true},"polluted"');

describe('parseJsonBody', () => {
  it('drops __proto__ keys at every depth, also when spelled with escapes', () => {
    const text = '{"a":{"b":[{"__proto__":{"x":1},"keep":2}]},"\\u005f_proto__":{"y":1},"c":3}';
    const parsed = parseJsonBody(text) as { a: { b: Array<Record<string, unknown>> }; c: number };
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
    expect(Object.hasOwn(parsed.a.b[0] as object, '__proto__')).toBe(false);
    expect(parsed).toEqual({ a: { b: [{ keep: 2 }] }, c: 3 });
  });

  it('drops a __proto__ key spelled only with escapes, or only literally (each alone)', () => {
    const escaped = parseJsonBody('{"\\u005f\\u005fproto\\u005f\\u005f":{"y":1},"c":3}') as object;
    expect(Object.hasOwn(escaped, '__proto__')).toBe(false);
    expect(escaped).toEqual({ c: 3 });
    const literal = parseJsonBody('{"d":[{"__proto__":{"y":1}}]}') as { d: object[] };
    expect(Object.hasOwn(literal.d[0]!, '__proto__')).toBe(false);
    // Neither spelling: parsed as JSON.parse parses it.
    expect(parseJsonBody('{"a":{"b":[1,"proto"]}}')).toEqual({ a: { b: [1, 'proto'] } });
  });

  it('walks a body nested deeper than the call stack without overflowing', () => {
    const depth = 200_000;
    const parsed = parseJsonBody(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(Array.isArray(parsed)).toBe(true);
  });

  it('keeps a signed event’s raw copy free of a foreign prototype (connection events copy their keys)', () => {
    const event = parseHotglueEvent(parseJsonBody(HOSTILE) as Record<string, unknown>);
    expect(event.kind).toBe('connection');
    expect(Object.getPrototypeOf(event.raw)).toBe(Object.prototype);
    expect((event.raw as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.assign({}, event.raw)).not.toHaveProperty('isAdmin');
  });
});
