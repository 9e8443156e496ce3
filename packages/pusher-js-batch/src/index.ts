export { batchChannelAuthorization } from './batch-channel-authorization.js';
export type {
  BatchAuthorizerOptions,
  PerRequest,
} from './batch-authorizer-options.js';
export { ChannelAuthorizationError } from './channel-authorization.error.js';
export type {
  ChannelAuthorizationCallback,
  ChannelAuthorizationData,
  ChannelAuthorizationHandler,
  ChannelAuthorizationRequestParams,
} from './pusher-js.types.js';
