import { outcomesOf } from './batch-answer.js';
import {
  BatchAuthorizerOptions,
  resolveOptions,
} from './batch-authorizer-options.js';
import { BatchQueue } from './batch-queue.js';
import { requestBatch } from './batch-request.js';
import type { ChannelAuthorizationHandler } from './pusher-js.types.js';

/**
 * A pusher-js 8 `channelAuthorization.customHandler` that asks for the channels of a page in one
 * request instead of one request per channel:
 *
 * ```js
 * new Pusher(key, {
 *   channelAuthorization: { customHandler: batchChannelAuthorization({ headers }) },
 * });
 * ```
 *
 * Options are checked here, once: a bad one throws a `TypeError` naming every problem.
 */
export function batchChannelAuthorization(
  options: BatchAuthorizerOptions = {},
): ChannelAuthorizationHandler {
  const resolved = resolveOptions(options);
  const queue = new BatchQueue(
    resolved.windowMs,
    resolved.maxChannelsPerRequest,
    async (socketId, channelNames) =>
      outcomesOf(
        await requestBatch(resolved, socketId, channelNames),
        channelNames,
      ),
  );
  return ({ socketId, channelName }, callback) =>
    queue.add(socketId, channelName, callback);
}
