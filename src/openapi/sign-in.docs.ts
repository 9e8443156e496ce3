import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from './deferred-swagger';
import { ErrorBodyDto, UserAuthResponseDto } from './error-body.dto';

/** The failures every endpoint variant shares (see the contract's statuses). */
export const failures = [
  ApiResponse({
    status: 400,
    type: ErrorBodyDto,
    description: 'Malformed request; the message names the field',
  }),
  ApiResponse({
    status: 403,
    type: ErrorBodyDto,
    description: 'No, invalid or expired credentials, unknown user (never why)',
  }),
  ApiResponse({
    status: 429,
    type: ErrorBodyDto,
    description: 'Rate limit (per address or per user); see Retry-After',
  }),
  ApiResponse({
    status: 503,
    type: ErrorBodyDto,
    description: 'The user directory is unreachable; see Retry-After',
  }),
];

/**
 * Operation ids and the controller tag keep the names of the first published document, whatever
 * the classes are called now: generated clients name their methods after them.
 */
export const DocumentSignInRoutes = () => ApiTags('PusherAuth');

export const DocumentSignIn = () =>
  applyDecorators(
    ApiTags('sign-in'),
    ApiBearerAuth(),
    ApiOperation({
      operationId: 'PusherAuthController_signInUser',
      summary: 'Sign in a pusher-js user (userAuthentication.endpoint)',
      description:
        'Exactly 200 on success (pusher-js treats 201 as failure). The caller is identified before the body is read.',
    }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiOkResponse({ type: UserAuthResponseDto }),
    ...failures,
  );

export const DocumentJsonpSignIn = () =>
  applyDecorators(
    ApiTags('sign-in'),
    ApiOperation({
      operationId: 'PusherAuthController_signInUserJsonp',
      summary: "Sign in over JSONP (pusher-js transport: 'jsonp')",
      description:
        'Only with JSONP_ENABLED=true. Authenticates only with the token in the JWT_QUERY_PARAM query parameter, never cookies or headers. Success is `<callback>({"auth":…,"user_data":…});`; a failure is a JSON error and never calls the callback.',
    }),
    ApiProduces('application/javascript'),
    ApiOkResponse({ description: 'JavaScript calling the callback' }),
    ...failures,
  );
