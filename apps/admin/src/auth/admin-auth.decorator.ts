import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity } from '@nestjs/swagger';
import type { UserPrincipal } from '@myfsio/iam';
import { ADMIN_ACTION, AdminAuthGuard, type AdminRequest } from './admin-auth.guard';

/**
 * Marks an admin route as needing credentials allowed to perform `action` (an IAM-style action
 * such as `iam:CreateUser` or `admin:RunGc`); the root user may perform every action.
 */
export function AdminAuth(action: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ADMIN_ACTION, action),
    UseGuards(AdminAuthGuard),
    ApiSecurity('accessKey'),
    ApiSecurity('secretKey'),
    ApiForbiddenResponse({ description: `Missing credentials or not allowed to perform ${action}` }),
  );
}

/** The authenticated caller of an `@AdminAuth` route. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserPrincipal => {
    const principal = context.switchToHttp().getRequest<AdminRequest>().principal;
    if (principal?.kind !== 'user') {
      throw new Error('CurrentPrincipal used on a route without @AdminAuth');
    }
    return principal;
  },
);
