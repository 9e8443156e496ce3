import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isJsonpRequest } from '../auth/request-credentials';
import { InvalidRequestError } from '../http/invalid-request.error';
import {
  ChannelAuthRequest,
  parseChannelAuthRequest,
} from './dto/channel-auth-request';

export type WithChannelAuthRequest = FastifyRequest & {
  channelAuthRequest?: ChannelAuthRequest;
};

/**
 * Validates the channel request before the CallerGuard runs: Nest runs guards before pipes, and
 * channel names are checked before anything else, so a malformed request costs no token
 * verification or storage read. Listed first in `@UseGuards`, it runs first.
 */
@Injectable()
export class ChannelAuthRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WithChannelAuthRequest>();
    const jsonp = isJsonpRequest(request);
    const parsed = parseChannelAuthRequest(
      jsonp ? request.query : request.body,
      { jsonp },
    );
    if (parsed.problems) throw new InvalidRequestError(parsed.problems);
    request.channelAuthRequest = parsed.request;
    return true;
  }
}
