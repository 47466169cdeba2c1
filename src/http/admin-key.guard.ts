import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { cacheConfig, type CacheConfig } from '../config/cache.config';
import { bearerToken } from './bearer-token';

const digest = (text: string): Buffer =>
  createHash('sha256').update(text, 'utf8').digest();

/**
 * Lets a request through only with `Authorization: Bearer <ADMIN_API_KEY>`. The comparison is constant-time (both
 * sides hashed to equal length, then `timingSafeEqual`). Without a configured key the endpoint is disabled: 403.
 * Neither the key nor what the client sent ever appears in a response or a log.
 */
/** The 403 answer's message when no ADMIN_API_KEY is configured. */
export const ADMIN_KEY_UNSET_MESSAGE =
  'The admin endpoints are disabled: set ADMIN_API_KEY (at least 16 characters) on the service to enable it, then send Authorization: Bearer <ADMIN_API_KEY>';

@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(cacheConfig.KEY) config: Pick<CacheConfig, 'adminKey'>) {
    this.expected = config.adminKey ? digest(config.adminKey) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ForbiddenException(ADMIN_KEY_UNSET_MESSAGE);
    }
    const http = context.switchToHttp();
    const token = bearerToken(
      http.getRequest<FastifyRequest>().headers.authorization,
    );
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      void http
        .getResponse<FastifyReply>()
        .header('WWW-Authenticate', 'Bearer realm="benchmark-api admin"');
      throw new UnauthorizedException(
        token !== undefined
          ? 'The admin key in the Authorization header is not valid'
          : 'Send the admin key as Authorization: Bearer <ADMIN_API_KEY>',
      );
    }
    return true;
  }
}
