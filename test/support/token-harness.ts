import { createSign, type KeyObject } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { HOTGLUE_JWT_SIGNER, HOTGLUE_SIGNING_KEY } from '../../src/hotglue/hotglue.constants.js';
import { HotglueModule } from '../../src/hotglue/hotglue.module.js';
import type { HotglueModuleOptions } from '../../src/hotglue/options/hotglue.options.js';
import type { HotglueSigningKey } from '../../src/hotglue/signing-key/index.js';
import { HotglueTokenService } from '../../src/hotglue/token/hotglue-token.service.js';
import { type HotglueJwtSigner, signRs256 } from '../../src/hotglue/token/rs256.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';

export const TEST_ENV_ID = 'dev.example.hotglue.xyz';

/** A Nest testing module whose HOTGLUE_JWT_SIGNER is the real signer wrapped in a counter. */
export interface TokenHarness {
  readonly moduleRef: TestingModule;
  readonly service: HotglueTokenService;
  readonly signingKey: HotglueSigningKey;
  /** Every signing input handed to the signer, in order. */
  readonly signed: string[];
  /** Makes the next `n` signings reject (after being counted). */
  failNextSignings(n: number): void;
  /** Makes signings wait until `release()` is called (to hold many callers in flight). */
  holdSignings(): { release(): void };
}

export async function createTokenHarness(options: Partial<HotglueModuleOptions> = {}): Promise<TokenHarness> {
  const signed: string[] = [];
  let failures = 0;
  let gate: Promise<void> | undefined;
  const moduleRef = await Test.createTestingModule({
    imports: [
      HotglueModule.forRoot({
        envId: TEST_ENV_ID,
        signingKey: generateTestSigningKey().privateKeyBase64,
        ...options,
      }),
    ],
  })
    .overrideProvider(HOTGLUE_JWT_SIGNER)
    .useFactory({
      factory:
        (key: HotglueSigningKey): HotglueJwtSigner =>
        async (input) => {
          signed.push(input);
          if (gate) await gate;
          if (failures > 0) {
            failures--;
            throw new Error('simulated signing failure');
          }
          return signRs256(input, key.privateKey);
        },
      inject: [HOTGLUE_SIGNING_KEY],
    })
    .compile();
  return {
    moduleRef,
    service: moduleRef.get(HotglueTokenService),
    signingKey: moduleRef.get<HotglueSigningKey>(HOTGLUE_SIGNING_KEY),
    signed,
    failNextSignings(n) {
      failures = n;
    },
    holdSignings() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return {
        release() {
          gate = undefined;
          release();
        },
      };
    },
  };
}

/** The three segments of a compact JWT, header and payload decoded. */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  headerSegment: string;
  payloadSegment: string;
  signature: Buffer;
} {
  const [headerSegment, payloadSegment, signatureSegment, ...rest] = token.split('.');
  if (
    headerSegment === undefined ||
    payloadSegment === undefined ||
    signatureSegment === undefined ||
    rest.length
  ) {
    throw new Error('not a compact JWS');
  }
  return {
    header: JSON.parse(Buffer.from(headerSegment, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payloadSegment, 'base64url').toString('utf8')),
    headerSegment,
    payloadSegment,
    signature: Buffer.from(signatureSegment, 'base64url'),
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT with any header and payload, signed synchronously with `privateKey` (for forged tokens). */
export function craftRs256(header: object, payload: object, privateKey: KeyObject): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/** A JWT with any header and payload and the given raw signature segment. */
export function craftUnsigned(header: object, payload: object, signatureSegment = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signatureSegment}`;
}
