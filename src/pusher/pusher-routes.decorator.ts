import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { CallerGuard } from '../auth/caller.guard';
import { DocumentChannelAuthRoutes } from '../openapi/channel-auth.docs';
import { DocumentSignInRoutes } from '../openapi/sign-in.docs';
import { UserThrottlerGuard } from '../rate-limit/user-throttler.guard';
import { ChannelAuthRequestGuard } from './channel-auth-request.guard';

/**
 * A sign-in controller (POST or JSONP: both must guard alike). No path of its own: its module is
 * mounted at `PUSHER_USER_AUTH_PATH` (and `/apps/{name}` + it). The app was resolved before the
 * body was read (resolveSigningApps: an unknown one is a 404); the caller is identified, then
 * the per-user limit applies.
 */
export const SignInRoutes = () =>
  applyDecorators(
    Controller(),
    DocumentSignInRoutes(),
    UseGuards(CallerGuard, UserThrottlerGuard),
  );

/**
 * A channel authorization controller (POST or JSONP), mounted at `PUSHER_CHANNEL_AUTH_PATH`.
 * Guards run in order: the request is checked first, so a malformed one is a 400 for anyone and
 * costs no token verification or storage read.
 */
export const ChannelAuthRoutes = () =>
  applyDecorators(
    Controller(),
    DocumentChannelAuthRoutes(),
    UseGuards(ChannelAuthRequestGuard, CallerGuard, UserThrottlerGuard),
  );
