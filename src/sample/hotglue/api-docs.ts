import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './dto.js';

/** OpenAPI description shared by the guarded hotglue routes: the tenant query and every refusal. */
export function ApiHotglueGuarded(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiQuery({
      name: 'tenantId',
      required: false,
      type: String,
      description:
        'Tenant to act for; optional when the caller belongs to exactly one tenant. Give it at most once.',
    }),
    ApiResponse({
      status: 400,
      type: ErrorResponse,
      description: 'Malformed tenantId, given twice, or several tenants and none named.',
    }),
    ApiResponse({
      status: 401,
      type: ErrorResponse,
      description: 'Missing, expired or forged bearer token.',
    }),
    ApiResponse({
      status: 403,
      type: ErrorResponse,
      description: "The tenant is not one of the caller's tenants.",
    }),
    ApiResponse({
      status: 429,
      type: ErrorResponse,
      description: 'Rate limited per user; see Retry-After (seconds).',
    }),
  );
}
