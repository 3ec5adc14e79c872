/**
 * Generated compact JWTs for the property specs that compare our node:crypto verifiers with jose (the
 * verifier they replaced). Tokens are built from parts, each of which may be valid or broken: the header
 * (alg variants, "crit"/"b64", not an object, not JSON, a BOM, bad UTF-8), the claims (missing, wrong
 * types, times around the clock), each segment's base64url (padding, whitespace, `+`/`/`, non-ASCII, cut
 * short), the signature (right key, other key, tampered, empty, re-encoded) and the number of parts.
 * Signatures are computed over the segments as finally encoded, so decoding quirks reach the claim checks.
 */
import { type KeyObject, sign } from 'node:crypto';
import fc from 'fast-check';

/** The clock of every generated case, in whole seconds; cases add up to 999 ms. */
export const FUZZ_NOW_SECONDS = 1_780_000_000;

const INFINITY_MARK = '__infinity__';

/** A claim time: mostly near `FUZZ_NOW_SECONDS` (whole or fractional), sometimes not a number. */
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -70, max: 70 }).map((d) => FUZZ_NOW_SECONDS + d) },
  { weight: 2, arbitrary: fc.integer({ min: -700, max: 700 }).map((d) => FUZZ_NOW_SECONDS + d / 10) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(String(FUZZ_NOW_SECONDS), null, true, [], INFINITY_MARK) },
);

const sub = fc.constantFrom<unknown>('acme', 'acme', 'other', '', 7, null);

const claims = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      sub: fc.constant('acme'),
      iat: fc.integer({ min: -60, max: 0 }).map((d) => FUZZ_NOW_SECONDS + d),
      exp: fc.integer({ min: 1, max: 600 }).map((d) => FUZZ_NOW_SECONDS + d),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ sub, iat: time, exp: time, nbf: time }, { requiredKeys: ['sub', 'iat', 'exp'] }),
  },
  { weight: 1, arbitrary: fc.record({ sub, iat: time, exp: time, nbf: time }, { requiredKeys: [] }) },
);

const oddHeader = fc.record(
  {
    alg: fc.oneof(
      { weight: 8, arbitrary: fc.constant<unknown>('RS256') },
      {
        weight: 4,
        arbitrary: fc.constantFrom<unknown>(
          'none',
          'HS256',
          'RS512',
          'PS256',
          'rs256',
          'RS256 ',
          '',
          5,
          null,
        ),
      },
    ),
    typ: fc.constantFrom('JWT', 'jwt'),
    crit: fc.constantFrom<unknown>(
      ['b64'],
      ['x'],
      ['b64', 'x'],
      ['x', 'b64'],
      ['b64', 'b64'],
      [],
      [''],
      'b64',
      [1],
    ),
    b64: fc.constantFrom<unknown>(true, false, 'yes'),
  },
  { requiredKeys: [] },
);

const header = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ alg: 'RS256', typ: 'JWT' }) },
  { weight: 2, arbitrary: oddHeader },
);

/** A JSON object's bytes, or bytes that are not one. */
function jsonBytes(object: fc.Arbitrary<object>, weight: number): fc.Arbitrary<Buffer> {
  return fc.oneof(
    {
      weight,
      arbitrary: object.map((value) =>
        Buffer.from(JSON.stringify(value).replaceAll(`"${INFINITY_MARK}"`, '1e400')),
      ),
    },
    { weight: 1, arbitrary: object.map((value) => Buffer.from(`\uFEFF${JSON.stringify(value)}`)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('[]', 'null', '"x"', '{', '{"alg":"RS256",}', ' {} ')
        .map((text) => Buffer.from(text)),
    },
    { weight: 1, arbitrary: fc.constant(Buffer.from([0x7b, 0xff, 0x7d])) },
  );
}

type Encoding = 'plain' | 'padded' | 'extra-pad' | 'whitespace' | 'standard' | 'non-ascii' | 'cut';

const encoding = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Encoding>('plain') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Encoding>('padded', 'extra-pad', 'whitespace', 'standard', 'non-ascii', 'cut'),
  },
);

function encode(bytes: Buffer, how: Encoding): string {
  const plain = bytes.toString('base64url');
  switch (how) {
    case 'plain':
      return plain;
    case 'padded':
      return bytes.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
    case 'extra-pad':
      return `${plain}=`;
    case 'whitespace':
      return `${plain.slice(0, 3)} \n${plain.slice(3)}`;
    case 'standard':
      return bytes.toString('base64');
    case 'non-ascii':
      return `${plain}é`;
    case 'cut':
      return plain.slice(0, -1);
  }
}

/** An arbitrary compact JWT, signed with one of `privateKeys` (mostly the first), then maybe damaged. */
export function fuzzToken(privateKeys: readonly KeyObject[]): fc.Arbitrary<string> {
  return fc
    .record({
      header: jsonBytes(header, 8),
      headerEncoding: encoding,
      payload: jsonBytes(claims, 8),
      payloadEncoding: encoding,
      signer: fc.oneof(
        { weight: 6, arbitrary: fc.constant(0) },
        { weight: 2, arbitrary: fc.integer({ min: 0, max: privateKeys.length - 1 }) },
      ),
      signature: fc.oneof(
        { weight: 10, arbitrary: fc.constant<'keep' | Encoding>('keep') },
        {
          weight: 3,
          arbitrary: fc.constantFrom<'keep' | Encoding>('padded', 'whitespace', 'standard', 'cut'),
        },
      ),
      damage: fc.oneof(
        { weight: 10, arbitrary: fc.constant('none') },
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            'flip-signature',
            'empty-signature',
            'swap-payload',
            'two-parts',
            'four-parts',
          ),
        },
      ),
      flipAt: fc.nat(),
    })
    .map((c) => {
      const headerSegment = encode(c.header, c.headerEncoding);
      const payloadSegment = encode(c.payload, c.payloadEncoding);
      const key = privateKeys[c.signer] as KeyObject;
      const signature = sign('sha256', Buffer.from(`${headerSegment}.${payloadSegment}`), key);
      let signatureSegment =
        c.signature === 'keep' ? signature.toString('base64url') : encode(signature, c.signature);
      let payloadOut = payloadSegment;
      switch (c.damage) {
        case 'flip-signature': {
          const at = c.flipAt % signatureSegment.length;
          const flipped = signatureSegment[at] === 'A' ? 'B' : 'A';
          signatureSegment = `${signatureSegment.slice(0, at)}${flipped}${signatureSegment.slice(at + 1)}`;
          break;
        }
        case 'empty-signature':
          signatureSegment = '';
          break;
        case 'swap-payload':
          payloadOut = Buffer.from(
            JSON.stringify({ sub: 'acme', iat: FUZZ_NOW_SECONDS, exp: FUZZ_NOW_SECONDS + 600 }),
          ).toString('base64url');
          break;
        case 'two-parts':
          return `${headerSegment}.${payloadOut}`;
        case 'four-parts':
          return `${headerSegment}.${payloadOut}.${signatureSegment}.`;
      }
      return `${headerSegment}.${payloadOut}.${signatureSegment}`;
    });
}
