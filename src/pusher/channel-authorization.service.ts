import { Injectable, Logger } from '@nestjs/common';
import type Pusher from 'pusher';
import type { CallerIdentity } from '../auth/caller-identity';
import type { ChannelName } from '../channels/channel-name';
import {
  ChannelDecider,
  ChannelPolicy,
  ChannelVerdict,
} from '../channels/channel-policy.service';
import { IdentityProviderUnavailable } from '../plugin/identity-provider-unavailable';
import { UserLookupService } from '../directory/user-lookup.service';
import type { PusherUser } from '../directory/user-rules';
import {
  ChannelNotAllowedError,
  encryptionDisabledMessage,
  EncryptionDisabledError,
} from './channel-authorization.errors';
import type { ChannelAuthRequest } from './dto/channel-auth-request';
import type { NoteChannelReason } from './channel-reasons';
import { SigningApps, type SigningApp } from './signing-apps';

export type ChannelAuthResponse = Pusher.ChannelAuthResponse;

/** One channel's answer in a batch (the pusher-js batching plugin's shape). */
export type ChannelBatchEntry =
  | { status: 200; data: ChannelAuthResponse }
  | { status: 403 }
  | { status: 400 | 501 | 503; message: string[] };

/** Keyed by channel name; a malformed name is keyed by its parameter (`channel_name[3]`). */
export type ChannelBatchResponse = Record<string, ChannelBatchEntry>;

/** The one place a channel subscription is decided and signed. */
@Injectable()
export class ChannelAuthorizationService {
  constructor(
    private readonly users: UserLookupService,
    private readonly policy: ChannelPolicy,
    apps: SigningApps,
  ) {
    const logger = new Logger(ChannelAuthorizationService.name);
    if (!apps.defaultApp.encryptionEnabled) {
      logger.log(
        'private-encrypted- channels are answered 501: PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not set',
      );
    }
    const without = apps.all.filter(
      (app) => app !== apps.defaultApp && !app.encryptionEnabled,
    );
    if (without.length > 0) {
      logger.log(
        `private-encrypted- channels are answered 501 for apps without encryption_master_key_env: ${without.map((app) => app.name).join(', ')}`,
      );
    }
  }

  /**
   * The caller must be a user the directory accepts (as for sign-in), whatever the channel.
   * @throws ChannelNotAllowedError, EncryptionDisabledError (single channel), and the directory's
   * errors (403 unknown or invalid user, 503 unavailable) for the whole request
   */
  async authorize(
    request: ChannelAuthRequest,
    caller: CallerIdentity,
    app: SigningApp,
    noteReason: NoteChannelReason = () => undefined,
  ): Promise<ChannelAuthResponse | ChannelBatchResponse> {
    const user = await this.users.lookup(caller.id, caller.claims);
    const decider = this.policy.forUser(user.id, app.name);
    if (!request.batch) {
      const answer = await this.decide(
        request.socketId,
        request.channel,
        user,
        decider,
        app,
        false,
        noteReason,
      );
      if (answer.status === 200) return answer.data;
      if (answer.status === 403) throw new ChannelNotAllowedError();
      throw new EncryptionDisabledError(app.encryptionSetting);
    }
    const answers: ChannelBatchResponse = {};
    for (const entry of request.entries) {
      if (entry.channel) {
        answers[entry.channel.name] = await this.decide(
          request.socketId,
          entry.channel,
          user,
          decider,
          app,
          true,
          noteReason,
        );
      } else {
        answers[entry.key] = { status: 400, message: [entry.problem] };
      }
    }
    return answers;
  }

  private async decide(
    socketId: string,
    channel: ChannelName,
    user: PusherUser,
    decider: ChannelDecider,
    app: SigningApp,
    inBatch: boolean,
    noteReason: NoteChannelReason,
  ): Promise<ChannelBatchEntry> {
    let verdict: ChannelVerdict;
    try {
      verdict = await decider.decide(channel.name);
      noteReason(channel.name, verdict.reason);
    } catch (error) {
      noteReason(channel.name, 'a relation could not answer');
      // A channel check that could not answer: 503 for this channel alone in a batch.
      if (!(error instanceof IdentityProviderUnavailable) || !inBatch)
        throw error;
      return {
        status: 503,
        message: ['the channel could not be decided now; try again later'],
      };
    }
    if (!verdict.allowed) return { status: 403 };
    // Checked after the policy: 501 means "you may join, but this service cannot sign it".
    if (channel.kind === 'private-encrypted' && !app.encryptionEnabled) {
      return {
        status: 501,
        message: [encryptionDisabledMessage(app.encryptionSetting)],
      };
    }
    // Names and socket ids were validated first, so the library cannot throw on them.
    const userInfo = verdict.userInfo ?? user.user_info;
    const data =
      channel.kind === 'presence'
        ? { user_id: user.id, ...(userInfo ? { user_info: userInfo } : {}) }
        : undefined;
    return {
      status: 200,
      data: app.pusher.authorizeChannel(socketId, channel.name, data),
    };
  }
}
