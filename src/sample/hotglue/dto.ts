import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** 200 body of `GET /hotglue/token`. Types are explicit: tsx emits no decorator metadata. */
export class HotglueTokenResponse {
  @ApiProperty({
    type: String,
    description: 'RS256 tenant JWT: `jwtToken` for the widget, `token` for the API.',
  })
  token!: string;

  @ApiProperty({ type: String, example: 'demo' })
  tenantId!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the token expires (ISO 8601).' })
  expiresAt!: string;
}

/** One linked source, reduced to what a browser may see. */
export class PublicLinkedSource {
  @ApiProperty({ type: String, description: 'Connector id, e.g. `salesforce`.' })
  tap!: string;

  @ApiPropertyOptional({ type: String })
  label?: string;

  @ApiProperty({
    type: Boolean,
    description:
      'Whether `GET /hotglue/sources/{tap}/profile` can work: an OAuth source with a provider API configured.',
  })
  providerCall!: boolean;

  @ApiPropertyOptional({ type: String, description: 'Why not, when `providerCall` is false.' })
  providerCallNote?: string;
}

/** 200 body of `GET /hotglue/linked-sources`. */
export class LinkedSourcesResponse {
  @ApiProperty({ type: String })
  tenantId!: string;

  @ApiProperty({ type: [PublicLinkedSource] })
  linkedSources!: PublicLinkedSource[];
}

/** 200 body of `GET /hotglue/sources/:tap/profile`: the provider's allow-listed answer, never a credential. */
export class SourceProfileResponse {
  @ApiProperty({ type: String })
  tenantId!: string;

  @ApiProperty({ type: String, example: 'salesforce' })
  tap!: string;

  @ApiProperty({
    type: Object,
    description: "The provider's non-secret profile fields (allow-listed per provider).",
    example: { provider: 'salesforce', id: 'emu-user-1a2b', displayName: 'Emulated Salesforce user' },
  })
  profile!: Record<string, unknown>;
}

/** Error body of every refusal (Nest's standard shape). */
export class ErrorResponse {
  @ApiProperty({ type: Number })
  statusCode!: number;

  @ApiProperty({ type: String })
  message!: string;
}
