import * as v from 'valibot';

/**
 * valibot's namespace, for the other options files to import from here: the CommonJS build copies a
 * namespace import's ~320 bindings into a new object once per importing file (about 1 ms each at boot), so
 * it happens once.
 */
export { v };

/**
 * Helpers shared by the options schemas (module, webhooks, queue, providers), all written with valibot:
 * its functions are separate imports and its whole runtime is one small file, so validating the options
 * at boot costs a few milliseconds of start-up where a larger schema library cost tens.
 */

/** The issue an unknown key raises; `isUnknownKeyIssue` tells it apart from the others. */
const UNKNOWN_KEY = 'is not a known option.';

/**
 * An object with the keys of `entries` only: a value that is not a plain object (arrays included) gets
 * `message`, every unknown key its own issue (`isUnknownKeyIssue`), and a missing required key the message
 * its own schema gives `undefined` ("is required ..."), as if the key were present and undefined.
 */
export function closedObject<const E extends v.ObjectEntries>(
  entries: E,
  message: string,
  // Written out rather than named: the public options schema's declared type then needs no internal name.
): v.GenericSchema<
  v.InferInput<v.ObjectSchema<E, undefined>>,
  v.InferOutput<v.ObjectSchema<E, undefined>>
> & {
  readonly entries: E;
} {
  const schema = v.pipe(
    v.custom<v.InferInput<v.ObjectSchema<E, undefined>>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      message,
    ),
    v.objectWithRest(entries, v.never(UNKNOWN_KEY), (issue) => missingKeyMessage(entries, issue)),
  );
  return Object.assign(schema, { entries }) as unknown as v.GenericSchema<
    v.InferInput<v.ObjectSchema<E, undefined>>,
    v.InferOutput<v.ObjectSchema<E, undefined>>
  > & { readonly entries: E };
}

function missingKeyMessage(entries: v.ObjectEntries, issue: v.BaseIssue<unknown>): string {
  const key = issue.path?.at(-1)?.key;
  const entry = typeof key === 'string' && Object.hasOwn(entries, key) ? entries[key] : undefined;
  const result = entry ? v.safeParse(entry, undefined) : undefined;
  return result && !result.success ? result.issues[0].message : 'is required.';
}

/** Whether the issue is an unknown key of a `closedObject` (its path ends with that key). */
export function isUnknownKeyIssue(issue: v.BaseIssue<unknown>): boolean {
  return issue.type === 'never' && issue.message === UNKNOWN_KEY;
}

/** The keys of an issue's path, outermost first (`['http', 'timeoutMs']`). */
export function issueKeys(issue: v.BaseIssue<unknown>): string[] {
  return (issue.path ?? []).map((item) => String(item.key));
}

/** A number that is finite (`NaN` and `Infinity` get `message`, as any other non-number does). */
export const finiteNumber = (message: string) =>
  v.custom<number>((value) => typeof value === 'number' && Number.isFinite(value), message);

/** An array accepted read-only (a caller's `readonly string[]` type-checks), each item checked by `item`. */
export const readonlyArray = <I extends v.GenericSchema>(item: I, message: string) =>
  v.pipe(
    v.custom<readonly v.InferInput<I>[]>((value) => Array.isArray(value), message),
    v.array(item, message),
    v.readonly(),
  );

/** Types a schema's input and output as read-only objects (no run-time change). */
export const readonlyObject = <S extends v.GenericSchema>(schema: S) =>
  schema as unknown as v.GenericSchema<Readonly<v.InferInput<S>>, Readonly<v.InferOutput<S>>>;

/** A whole number from `min` to `max`; one message for every way of missing it. */
export const wholeInRange = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}.`;
  return v.pipe(
    finiteNumber(message),
    v.check((value) => Number.isInteger(value) && value >= min && value <= max, message),
  );
};
