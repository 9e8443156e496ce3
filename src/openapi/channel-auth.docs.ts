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
import { ErrorBodyDto } from './error-body.dto';
import { failures } from './sign-in.docs';

const encryptionOff = ApiResponse({
  status: 501,
  type: ErrorBodyDto,
  description:
    'private-encrypted- channel asked while PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not set',
});

/** As for sign-in (see DocumentSignInRoutes): the first published document's names. */
export const DocumentChannelAuthRoutes = () => ApiTags('ChannelAuth');

export const DocumentChannelAuth = () =>
  applyDecorators(
    ApiTags('channels'),
    ApiBearerAuth(),
    ApiOperation({
      operationId: 'ChannelAuthController_authorizeChannel',
      summary:
        'Authorize a private, presence or private-encrypted channel (channelAuthorization.endpoint)',
      description:
        'Exactly 200 on success: {auth}, plus channel_data (presence) or shared_secret (private-encrypted). ' +
        'socket_id and channel_name are validated before the caller is identified. ' +
        'Batch form: channel_name[0], channel_name[1], … (at most 100), answered per channel as {status, data}.',
    }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiOkResponse({ description: 'The signed channel authorization' }),
    ...failures,
    encryptionOff,
  );

export const DocumentJsonpChannelAuth = () =>
  applyDecorators(
    ApiTags('channels'),
    ApiOperation({
      operationId: 'ChannelAuthController_authorizeChannelJsonp',
      summary: "Authorize a channel over JSONP (pusher-js transport: 'jsonp')",
      description:
        'Only with JSONP_ENABLED=true; authenticates only with the token in the JWT_QUERY_PARAM query parameter.',
    }),
    ApiProduces('application/javascript'),
    ApiOkResponse({ description: 'JavaScript calling the callback' }),
    ...failures,
    encryptionOff,
  );
