import type { ChannelOutcome } from './batch-answer.js';
import { ChannelAuthorizationError } from './channel-authorization.error.js';
import type { ChannelAuthorizationCallback } from './pusher-js.types.js';

/** Sends one batch; resolves with an outcome per channel, in the order given. Never rejects. */
export type SendBatch = (
  socketId: string,
  channelNames: readonly string[],
) => Promise<ChannelOutcome[]>;

/** The channels asked for on one socket since its window opened, each with everyone waiting. */
interface OpenBatch {
  waiting: Map<string, ChannelAuthorizationCallback[]>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Collects channel authorizations per socket id: the first request for a socket opens a window of
 * `windowMs` (fixed, not extended by later channels, so nothing waits longer than that), and the
 * window's channels leave as one request when it closes, or as soon as it holds
 * `maxChannels`. A channel asked for twice in a window is sent once and answers both. Signatures
 * are for one socket id, so batches never mix sockets and nothing is kept once answered.
 */
export class BatchQueue {
  private readonly open = new Map<string, OpenBatch>();

  constructor(
    private readonly windowMs: number,
    private readonly maxChannels: number,
    private readonly send: SendBatch,
  ) {}

  add(
    socketId: string,
    channelName: string,
    callback: ChannelAuthorizationCallback,
  ): void {
    let batch = this.open.get(socketId);
    if (!batch) {
      const opened: OpenBatch = {
        waiting: new Map(),
        timer: setTimeout(() => this.flush(socketId, opened), this.windowMs),
      };
      this.open.set(socketId, opened);
      batch = opened;
    }
    const waiting = batch.waiting.get(channelName);
    if (waiting) {
      waiting.push(callback);
      return;
    }
    batch.waiting.set(channelName, [callback]);
    if (batch.waiting.size >= this.maxChannels) this.flush(socketId, batch);
  }

  private flush(socketId: string, batch: OpenBatch): void {
    clearTimeout(batch.timer);
    if (this.open.get(socketId) === batch) this.open.delete(socketId);
    const channelNames = [...batch.waiting.keys()];
    const answerAll = (outcomes: ChannelOutcome[]) =>
      channelNames.forEach((name, index) => {
        for (const callback of batch.waiting.get(name) ?? []) {
          answer(callback, outcomes[index]);
        }
      });
    // `send` never rejects; were it to (a bug), every caller still gets an answer.
    void this.send(socketId, channelNames).then(answerAll, (error) =>
      answerAll(
        channelNames.map((name) => ({
          error: new ChannelAuthorizationError(
            name,
            undefined,
            `the authorizer failed (${String(error)})`,
          ),
        })),
      ),
    );
  }
}

/**
 * A callback that throws (pusher-js's, or an application's) must not keep the other channels of
 * the batch from their answers: its error is rethrown on its own, where it is reported as uncaught.
 */
function answer(
  callback: ChannelAuthorizationCallback,
  outcome: ChannelOutcome,
): void {
  try {
    if (outcome.error) callback(outcome.error, null);
    else callback(null, { ...outcome.data });
  } catch (error) {
    setTimeout(() => {
      throw error;
    }, 0);
  }
}
