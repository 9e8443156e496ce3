import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ChannelAuthRequest } from './dto/channel-auth-request';
import type { WithChannelAuthRequest } from './channel-auth-request.guard';

/** The request the ChannelAuthRequestGuard validated. */
export const ChannelRequest = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ChannelAuthRequest => {
    const parsed = context
      .switchToHttp()
      .getRequest<WithChannelAuthRequest>().channelAuthRequest;
    // Only reachable if the route lost its guard: fail closed.
    if (!parsed) throw new Error('channel request was not validated');
    return parsed;
  },
);
