import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOTGLUE_ENDPOINTS } from '../../src/hotglue/client/endpoints.js';
import { HotglueClient } from '../../src/hotglue/index.js';
import { NOT_OPERATIONS, OPERATIONS } from './operations.js';

/**
 * The conformance table cannot fall behind: every public `HotglueClient` method that calls hotglue and every
 * `HOTGLUE_ENDPOINTS` entry has exactly one row that says what the endpoint says, and docs/client.md's
 * operations table lists the same rows.
 */
const rows = new Map(OPERATIONS.map((row) => [row.operation, row]));

describe('the operations table covers the client', () => {
  it('has one row per operation', () => {
    expect(rows.size).toBe(OPERATIONS.length);
  });

  it('has a row for every HotglueClient method on the prototype (other than those listed with a reason)', () => {
    const methods = Object.getOwnPropertyNames(HotglueClient.prototype).filter(
      (name) =>
        name !== 'constructor' &&
        typeof Object.getOwnPropertyDescriptor(HotglueClient.prototype, name)?.value === 'function',
    );
    const missing = methods.filter((name) => !rows.has(name) && !(name in NOT_OPERATIONS));
    expect(missing, 'add a row to test/conformance/operations.ts (or a reason to NOT_OPERATIONS)').toEqual(
      [],
    );
    const stale = [...rows.keys(), ...Object.keys(NOT_OPERATIONS)].filter((name) => !methods.includes(name));
    expect(stale, 'rows or exclusions for methods the client no longer has').toEqual([]);
  });

  it('matches HOTGLUE_ENDPOINTS: same operations, method, path, key and token rule', () => {
    expect(Object.keys(HOTGLUE_ENDPOINTS).sort()).toEqual([...rows.keys()].sort());
    for (const endpoint of Object.values(HOTGLUE_ENDPOINTS)) {
      const row = rows.get(endpoint.operation)!;
      expect({ operation: row.operation, method: endpoint.method, path: endpoint.path }).toEqual({
        operation: row.operation,
        method: row.method,
        path: row.path,
      });
      expect([endpoint.operation, endpoint.keys]).toEqual([
        row.operation,
        row.auth.includes('tenant') ? 'any' : 'secret',
      ]);
      // Require-JWT: tenant mode sends the token on every route that names a tenant, and only there.
      expect([endpoint.operation, endpoint.token]).toEqual([
        row.operation,
        endpoint.keys === 'any' && row.tenant !== 'none',
      ]);
    }
  });

  it('gives every row a source URL and a provenance', () => {
    for (const row of OPERATIONS) {
      expect(row.source, row.operation).toMatch(/^https:\/\/\S+$/);
      expect(['docs', 'hotglue-code', 'widget', 'guess'], row.operation).toContain(row.provenance);
    }
  });
});

describe('docs/client.md lists the operations of the table', () => {
  const doc = readFileSync(new URL('../../docs/client.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Operations and their sources'));
  const body = section.slice(0, section.indexOf('\n## ', 4));
  const listed = body
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [operation, method, path, auth, source, provenance] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return {
        operation: operation!.replace(/`/g, ''),
        method,
        path: path!.replace(/`/g, ''),
        auth,
        source: source!.replace(/^<|>$/g, ''),
        provenance,
      };
    });

  it('one line per row, in the same order, saying the same', () => {
    expect(listed).toEqual(
      OPERATIONS.map((row) => ({
        operation: row.operation,
        method: row.method,
        path: row.path,
        auth: row.auth.join(', '),
        source: row.source,
        provenance: row.provenance,
      })),
    );
  });
});
