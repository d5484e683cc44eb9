import { RequestAuthenticator } from '@myfsio/auth';
import { AdminAuthorizer, IamService, type Principal } from '@myfsio/iam';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

/** Metadata key of the action an admin route is authorized with (see `@AdminAuth`). */
export const ADMIN_ACTION = 'myfsio:admin-action';

/** The authenticated caller of an admin request, set by {@link AdminAuthGuard}. */
export type AdminRequest = FastifyRequest & { principal?: Principal };

/**
 * Authenticates an admin request exactly as the gateway does (SigV4 header or presigned query,
 * or the X-Access-Key/X-Secret-Key headers), resolves the principal (disabled, expired and
 * locked-out identities stop here) and checks the route's action with the policy engine.
 * The JSON body has already been parsed by Fastify, so a SigV4 payload hash is not re-checked
 * against it; admin clients send the headers form or sign with UNSIGNED-PAYLOAD over TLS.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    private readonly iam: IamService,
    private readonly authorizer: AdminAuthorizer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<string | undefined>(ADMIN_ACTION, context.getHandler());
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const raw = request.raw;
    const auth = await this.authenticator.authenticate({
      method: raw.method ?? 'GET',
      rawUrl: raw.url ?? '/',
      headers: raw.headers,
      rawHeaders: raw.rawHeaders,
    });
    const principal = await this.iam.principalFor(auth);
    this.authorizer.check(principal, action ?? 'admin:*');
    request.principal = principal;
    return true;
  }
}
