import { createParamDecorator, ExecutionContext } from '@nestjs/common';

const REASONS = Symbol('pusher-auth.channelReasons');

type WithReasons = { [REASONS]?: string[] };

/** Where a channel answer notes why each channel was allowed or refused. */
export type NoteChannelReason = (channel: string, reason: string) => void;

/**
 * Hands the controller a function that notes each channel's reason on its request, for the
 * request's log line (never for the answer's body).
 */
export const ChannelReasons = createParamDecorator(
  (_data: unknown, context: ExecutionContext): NoteChannelReason => {
    const request = context.switchToHttp().getRequest<WithReasons>();
    return (channel, reason) => {
      (request[REASONS] ??= []).push(`${channel}: ${reason}`);
    };
  },
);

/** The reasons noted on a request, joined; undefined for any other answer. */
export function channelReasonsOf(request: object): string | undefined {
  return (request as WithReasons)[REASONS]?.join('; ');
}
