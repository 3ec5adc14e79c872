/**
 * `HotglueModuleOptions` is written by hand for its JSDoc (what editors show on every field); the schema is
 * what validates. These checks fail to compile the moment the two disagree on a field, its optionality or
 * its type, in either direction.
 */

import type * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type HotglueHttpOptions,
  type HotglueModuleOptions,
  hotglueHttpOptionsSchema,
  hotglueOptionsSchema,
} from './hotglue.options.js';

/** Drops `readonly` and the index-signature noise a schema library may add, leaving what a caller may pass. */
type Plain<T> = { -readonly [K in keyof T]: T[K] };

describe('HotglueModuleOptions and its schema', () => {
  it('has exactly the fields, optionality and types of the schema input', () => {
    expectTypeOf<Plain<HotglueModuleOptions>>().toEqualTypeOf<
      Plain<v.InferInput<typeof hotglueOptionsSchema>>
    >();
  });

  it('has http options equal to the http schema input', () => {
    expectTypeOf<Plain<HotglueHttpOptions>>().toEqualTypeOf<
      Plain<NonNullable<v.InferInput<typeof hotglueHttpOptionsSchema>>>
    >();
  });

  it('lists the same keys at run time as the schema shape', () => {
    const keys = Object.keys(hotglueOptionsSchema.entries).sort();
    expect(keys).toContain('envId');
    expect(keys).toContain('http');
  });
});
