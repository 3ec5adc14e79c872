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
}

/** 200 body of `GET /hotglue/linked-sources`. */
export class LinkedSourcesResponse {
  @ApiProperty({ type: String })
  tenantId!: string;

  @ApiProperty({ type: [PublicLinkedSource] })
  linkedSources!: PublicLinkedSource[];
}

/** Error body of every refusal (Nest's standard shape). */
export class ErrorResponse {
  @ApiProperty({ type: Number })
  statusCode!: number;

  @ApiProperty({ type: String })
  message!: string;
}
