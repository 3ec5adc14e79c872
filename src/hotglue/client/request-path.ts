import { HotglueArgumentError } from '../hotglue.errors.js';

/** A query value; `undefined` drops the parameter, booleans are sent as `true` / `false`. */
export type QueryValue = string | number | boolean | undefined;
export type QueryParams = Readonly<Record<string, QueryValue>>;

/**
 * Percent-encodes one path segment so it can never change the route: `encodeURIComponent` (so `/`, `?`, `#`,
 * `%`, spaces and non-ASCII are escaped), and a segment made only of dots (`.`, `..`) has every dot written
 * `%2E`, so it cannot act as a dot-segment either.
 */
export function encodePathSegment(value: string): string {
  const encoded = encodeURIComponent(value);
  return /^\.+$/.test(encoded) ? encoded.replaceAll('.', '%2E') : encoded;
}

/**
 * Fills a path template such as `/{env}/{flow}/{tenant}/linkedSources`: every `{name}` becomes the
 * percent-encoded `params[name]`. A missing, non-string or empty value throws `HotglueArgumentError` naming
 * the parameter, since an empty segment would silently address another route.
 *
 * A value that is exactly `.` or `..` is refused too, not only encoded: WHATWG URL parsers (and RFC 3986
 * normalizers in proxies) treat `%2E%2E` as `..` again (`new URL('http://h/a/%2E%2E/b').pathname === '/b'`), so
 * encoding alone cannot stop such an id from climbing one level on some hop between us and hotglue.
 */
export function fillPathTemplate(
  template: string,
  params: Readonly<Record<string, string | undefined>>,
): string {
  return compilePath(template)(params, params.env as string);
}

function encodeParam(name: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new HotglueArgumentError(argumentName(name), 'must be a non-empty string.');
  }
  if (value === '.' || value === '..') {
    throw new HotglueArgumentError(
      argumentName(name),
      'must not be "." or "..": it would address another path.',
    );
  }
  return encodeOrRefuse(argumentName(name), value, encodePathSegment);
}

/** `encodeURIComponent` throws a bare URIError on a lone UTF-16 surrogate; callers get a typed error instead. */
function encodeOrRefuse(argument: string, value: string, encode: (value: string) => string): string {
  try {
    return encode(value);
  } catch {
    throw new HotglueArgumentError(argument, 'is not well-formed Unicode (it holds a lone surrogate).');
  }
}

const ARGUMENT_NAMES: Record<string, string> = {
  env: 'envId',
  flow: 'flowId',
  tenant: 'tenantId',
  connector: 'connectorId',
  stream: 'stream',
};

function argumentName(placeholder: string): string {
  return ARGUMENT_NAMES[placeholder] ?? placeholder;
}

/** `?a=1&b=true` (or `''`), parameters in the given order, `undefined` values dropped. */
export function encodeQuery(query: QueryParams | undefined): string {
  let text = '';
  if (query) {
    for (const key in query) {
      const value = query[key];
      if (value === undefined) continue;
      text += `${text ? '&' : '?'}${encodeURIComponent(key)}=${encodeOrRefuse(key, String(value), encodeURIComponent)}`;
    }
  }
  return text;
}

type PathBuilder = (
  params: Readonly<Record<string, string | undefined>> | undefined,
  envId: string,
) => string;
const compiled = new Map<string, PathBuilder>();

/**
 * `fillPathTemplate` for one template, parsed once and cached: `{env}` takes `envId`, every other placeholder
 * its `params` value, all through the same checks and encoding.
 */
export function compilePath(template: string): PathBuilder {
  let builder = compiled.get(template);
  if (builder) return builder;
  const parts = template.split(/(\{\w+\})/).filter((part) => part !== '');
  builder = (params, envId) => {
    let out = '';
    for (const part of parts) {
      if (part.charCodeAt(0) !== 123 /* { */) {
        out += part;
        continue;
      }
      const name = part.slice(1, -1);
      out += encodeParam(name, name === 'env' ? envId : params?.[name]);
    }
    return out;
  };
  compiled.set(template, builder);
  return builder;
}
