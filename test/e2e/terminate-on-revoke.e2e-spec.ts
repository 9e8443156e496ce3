import { directoryCli } from '../helpers/cli-process';
import { expectSignedTerminate } from '../helpers/signed-terminate';
import { execSql } from '../helpers/plain-sql';
import { STORAGE_BACKENDS } from '../helpers/storage-backends';
import { useAppWithRestStandIn } from '../helpers/app-with-rest-stand-in';
import { waitForLog } from '../helpers/wait-for';

const grantRow = (user: string, pattern: string) =>
  `INSERT INTO directory_channel_grants (subject_kind, subject_id, channel_pattern) VALUES ('user', '${user}', '${pattern}')`;
const deleteGrantRow = (user: string, pattern: string) =>
  `DELETE FROM directory_channel_grants WHERE subject_kind = 'user' AND subject_id = '${user}' AND channel_pattern = '${pattern}'`;

describe.each(STORAGE_BACKENDS)(
  'TERMINATE_ON_REVOKE on %s',
  (backend, openStorage) => {
    const running = useAppWithRestStandIn(openStorage, {
      TERMINATE_ON_REVOKE: 'true',
    });
    let sentinels = 0;

    const cli = async (...args: string[]) =>
      expect(await directoryCli(running.storage.url, args)).toMatchObject({
        code: 0,
      });
    /**
     * A real revocation after the one under test: the log is read in order, so once the
     * sentinel's connections are ended, every earlier entry has been handled.
     */
    async function revokeSentinel(): Promise<void> {
      const id = `sentinel${++sentinels}`;
      const grant = {
        subject: 'user' as const,
        subjectId: id,
        channelPattern: 'private-sentinel',
      };
      await running.service.admin.grantChannel(grant);
      await running.service.admin.revokeChannel(grant);
      await running.pusherApi.waitForRequests(id);
      // Calls for earlier entries left before this one's: let them land.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    beforeAll(async () => {
      await running.service.seed(
        ...['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'].map(
          (id) => ({ id, userInfo: null, watchlist: [] }),
        ),
      );
    });

    it('ends the connections of a user whose grant the CLI revokes, with a correctly signed request', async () => {
      await cli('grant', 'user', 'alice', 'private-project-apollo');
      await cli('revoke', 'user', 'alice', 'private-project-apollo');
      await running.pusherApi.waitForRequests('alice');
      const [request] = running.pusherApi.requestsFor('alice');
      expectSignedTerminate(request, 'alice');
      expect(request.body).toBe('{}');
      await waitForLog(
        running.service.logs.lines,
        /ended the live connections of user "alice", who lost access \(grant "private-project-apollo" revoked\) \[app default\]/,
      );
    });

    it('ends the connections of every member of a group whose grant is revoked, but not of a member who still holds the pattern', async () => {
      for (const member of ['bob', 'carol', 'dave'])
        await running.service.admin.addGroupMember('support', member);
      await running.service.admin.grantChannel({
        subject: 'group',
        subjectId: 'support',
        channelPattern: 'private-room-*',
      });
      // dave holds the same pattern on his own: he keeps it.
      await running.service.admin.grantChannel({
        subject: 'user',
        subjectId: 'dave',
        channelPattern: 'private-room-*',
      });
      await cli('revoke', 'group', 'support', 'private-room-*');
      await running.pusherApi.waitForRequests('bob');
      await running.pusherApi.waitForRequests('carol');
      expectSignedTerminate(running.pusherApi.requestsFor('carol')[0], 'carol');
      await revokeSentinel();
      expect(running.pusherApi.requestsFor('dave')).toEqual([]);
      expect(running.pusherApi.requestsFor('bob')).toHaveLength(1);
    });

    it('ends the connections of a user the CLI takes out of a group', async () => {
      await running.service.admin.addGroupMember('night-shift', 'erin');
      await cli('groups', 'remove', 'night-shift', 'erin');
      await running.pusherApi.waitForRequests('erin');
      expectSignedTerminate(running.pusherApi.requestsFor('erin')[0], 'erin');
      await waitForLog(
        running.service.logs.lines,
        /ended the live connections of user "erin", who lost access \(removed from group "night-shift"\)/,
      );
    });

    it('ends the connections of a user whose grant row is deleted with plain SQL', async () => {
      await execSql(running.storage.url, [grantRow('frank', 'private-sql-1')]);
      await execSql(running.storage.url, [
        deleteGrantRow('frank', 'private-sql-1'),
      ]);
      await running.pusherApi.waitForRequests('frank');
      expectSignedTerminate(running.pusherApi.requestsFor('frank')[0], 'frank');
    });

    it('ends the connections of a user whose grant row an UPDATE gives to someone else, and of no one else', async () => {
      await execSql(running.storage.url, [grantRow('hank', 'private-sql-3')]);
      await execSql(running.storage.url, [
        `UPDATE directory_channel_grants SET subject_id = 'ivy' WHERE subject_id = 'hank'`,
        // Rewritten to what it was: not a revocation.
        `UPDATE directory_channel_grants SET channel_pattern = channel_pattern WHERE subject_id = 'ivy'`,
      ]);
      await running.pusherApi.waitForRequests('hank');
      await revokeSentinel();
      expect(running.pusherApi.requestsFor('ivy')).toEqual([]);
      expect(running.pusherApi.requestsFor('hank')).toHaveLength(1);
    });

    it('ends nothing when the grant is made again before the service reads the revocation', async () => {
      await running.service.admin.grantChannel({
        subject: 'user',
        subjectId: 'gina',
        channelPattern: 'private-sql-2',
      });
      // Revoked and granted again in one transaction: the log holds the revocation, yet the
      // directory, read afterwards, still grants the pattern.
      await execSql(running.storage.url, [
        deleteGrantRow('gina', 'private-sql-2'),
        grantRow('gina', 'private-sql-2'),
      ]);
      await revokeSentinel();
      expect(running.pusherApi.requestsFor('gina')).toEqual([]);
      expect(
        running.service.logs.lines.some((line) =>
          /revocation \d+ \(grant "private-sql-2" revoked\): nobody lost access now/.test(
            line,
          ),
        ),
      ).toBe(true);
    });

    it("ends nothing when a user's record or watchlist changes", async () => {
      await cli('grant', 'user', 'gina', 'private-gina');
      await cli(
        'upsert',
        'gina',
        '--info',
        '{"name":"G"}',
        '--watchlist',
        'alice',
      );
      await cli('upsert', 'gina', '--watchlist', 'bob');
      await waitForLog(
        running.service.logs.lines,
        /directory change: changed gina\b/,
      );
      await revokeSentinel();
      expect(running.pusherApi.requestsFor('gina')).toEqual([]);
    });

    // Last: it empties the memberships the tests above made. PostgreSQL's TRUNCATE fires only
    // a statement trigger; SQLite has no TRUNCATE, and a DELETE without WHERE fires row triggers.
    const emptyAll =
      backend === 'PostgreSQL'
        ? 'TRUNCATE directory_group_members'
        : 'DELETE FROM directory_group_members';
    it(`ends the connections of every member when the memberships are emptied at once (${emptyAll})`, async () => {
      await running.service.admin.addGroupMember('trainees', 'jack');
      await execSql(running.storage.url, [emptyAll]);
      await running.pusherApi.waitForRequests('jack');
      expectSignedTerminate(running.pusherApi.requestsFor('jack')[0], 'jack');
    });
  },
);

describe('without TERMINATE_ON_REVOKE', () => {
  const running = useAppWithRestStandIn(STORAGE_BACKENDS[0][1], {});

  beforeAll(async () => {
    await running.service.seed({ id: 'bob', userInfo: null, watchlist: [] });
    await running.service.admin.grantChannel({
      subject: 'user',
      subjectId: 'bob',
      channelPattern: 'private-b',
    });
    await running.service.admin.addGroupMember('support', 'bob');
  });

  it('leaves the connections of a user who loses a grant or a group alone', async () => {
    const cli = (...args: string[]) => directoryCli(running.storage.url, args);
    expect((await cli('revoke', 'user', 'bob', 'private-b')).code).toBe(0);
    expect((await cli('groups', 'remove', 'support', 'bob')).code).toBe(0);
    await waitForLog(running.service.logs.lines, /directory change: revoked\b/);
    // The terminator would have called out within milliseconds of the hint; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(running.pusherApi.requests).toHaveLength(0);
  });
});
