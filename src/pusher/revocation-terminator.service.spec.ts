import type { AppConfig } from '../config/app-config';
import type {
  ChangeListener,
  DirectoryChangeFeed,
} from '../directory/changes/directory-change-feed';
import type {
  Revocation,
  RevokedAccess,
} from '../directory/revocations/revocation';
import type { RevocationLog } from '../directory/revocations/revocation-log';
import type { ConnectionTerminator } from './connection-terminator.service';
import { RevocationTerminator } from './revocation-terminator.service';

/** The log as a list the test appends to, in whatever order transactions would commit. */
class ListLog {
  readonly entries: Revocation[] = [];
  /** Users who, per the directory now, still hold what an entry took away. */
  readonly stillHeld = new Set<string>();
  failNext = false;

  latestId = () =>
    Promise.resolve(Math.max(0, ...this.entries.map(({ id }) => id)));

  read = (afterId: number, missing: readonly number[], limit: number) =>
    Promise.resolve(
      this.entries
        .filter(({ id }) => id > afterId || missing.includes(id))
        .sort((a, b) => a.id - b.id)
        .slice(0, limit),
    );

  usersWhoLost = (revoked: RevokedAccess, after: string | undefined) => {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('the directory is unavailable'));
    }
    const id =
      revoked.kind === 'group-grant' ? revoked.groupId : revoked.userId;
    return Promise.resolve(
      after === undefined && !this.stillHeld.has(id) ? [id] : [],
    );
  };

  add(id: number, userId: string): void {
    this.entries.push({
      id,
      revoked: { kind: 'user-grant', userId, channelPattern: 'private-x' },
    });
  }
}

describe('RevocationTerminator', () => {
  let log: ListLog;
  let hint: ChangeListener;
  let ended: string[];
  let terminator: RevocationTerminator;

  const start = async (enabled = true) => {
    terminator = new RevocationTerminator(
      log as unknown as RevocationLog,
      {
        subscribe: (listener: ChangeListener) => (hint = listener),
      } as unknown as DirectoryChangeFeed,
      { directory: { terminateOnRevoke: enabled } } as AppConfig,
      {
        end: (id: string) => ended.push(id),
      } as unknown as ConnectionTerminator,
    );
    terminator.onApplicationBootstrap();
    // Bootstrap reads where the log ends; let it.
    await new Promise((resolve) => setImmediate(resolve));
  };
  const endedSoon = (ids: string[]) =>
    vi.waitFor(() => expect(ended).toEqual(ids));

  beforeEach(() => {
    log = new ListLog();
    ended = [];
  });
  afterEach(() => terminator?.onApplicationShutdown());

  it('starts after the newest entry: revocations made before it ran end nothing', async () => {
    log.add(1, 'alice');
    await start();
    log.add(2, 'bob');
    hint({ kind: 'revoked' });
    await endedSoon(['bob']);
  });

  it('handles an id that commits after a higher one (PostgreSQL hands ids out at insert)', async () => {
    await start();
    log.add(2, 'bob');
    hint({ kind: 'revoked' });
    await endedSoon(['bob']);
    log.add(1, 'alice');
    hint({ kind: 'revoked' });
    await endedSoon(['bob', 'alice']);
    // Handled once: not asked for again.
    hint({ kind: 'revoked' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended).toEqual(['bob', 'alice']);
  });

  it('ends nothing for an entry whose access the directory holds again', async () => {
    await start();
    log.stillHeld.add('alice');
    log.add(1, 'alice');
    log.add(2, 'bob');
    hint({ kind: 'revoked' });
    await endedSoon(['bob']);
  });

  it('reads an entry again after the directory failed, and a backlog batch after batch', async () => {
    await start();
    log.failNext = true;
    for (let id = 1; id <= 450; id++) log.add(id, `u${id}`);
    hint({ kind: 'revoked' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended).toEqual([]);
    // A reset (the listener is back) reads again.
    hint({ kind: 'reset' });
    await vi.waitFor(() => expect(ended).toHaveLength(450));
    expect(ended.slice(0, 2)).toEqual(['u1', 'u2']);
  });

  it('sends no id that Pusher would take as a path', async () => {
    await start();
    log.add(1, '../x');
    log.add(2, 'bob');
    hint({ kind: 'revoked' });
    await endedSoon(['bob']);
  });

  it('does nothing without TERMINATE_ON_REVOKE', async () => {
    hint = () => undefined;
    await start(false);
    log.add(1, 'alice');
    hint({ kind: 'revoked' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended).toEqual([]);
  });
});
