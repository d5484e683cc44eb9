import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';

/** An admin IAM route: authorized with `action`, documented with `summary` in /docs. */
export function IamRoute(action: string, summary: string): MethodDecorator {
  return applyDecorators(
    AdminAuth(action),
    ApiOperation({ summary, description: `Requires \`${action}\`.` }),
    ApiBadRequestResponse({
      description: 'ValidationError or MalformedPolicyDocument: names the field and reason',
    }),
    ApiNotFoundResponse({ description: 'NoSuchEntity' }),
  );
}
