import { Argument, Command } from 'commander';
import {
  isChannelPattern,
  parseChannelPattern,
} from '../channels/policy/channel-pattern';
import type { ChannelGrant } from '../directory/channel-grant';
import { isValidUserId, USER_ID_RULE } from '../directory/user-rules';
import { escapeForLog } from '../logging/log-escape';
import { CliError, EXIT } from './cli-error';
import type { WithSession } from './directory.commands';
import { say, write } from './output';

const PAGE = 1_000;
const SUBJECTS = ['user', 'group'] as const;

interface ListOptions {
  user?: string;
  group?: string;
}

/**
 * `pusher-auth directory grant|revoke|grants|groups …`: channel grants and group memberships,
 * checked like the service reads them and announced to every replica like user changes.
 */
export function registerChannelAccessCommands(
  directory: Command,
  withSession: WithSession,
): void {
  const subject = () =>
    new Argument('<subject>', 'who the grant is for').choices(SUBJECTS);

  directory
    .command('grant')
    .description(
      'let a user, or every member of a group, into the channels a pattern matches',
    )
    .addArgument(subject())
    .argument('<id>', `user or group id (${USER_ID_RULE})`)
    .argument('<pattern>', "channel pattern, e.g. 'presence-room-*' (quote it)")
    .action((kind: ChannelGrant['subject'], id: string, pattern: string) => {
      // Checked before the directory is opened: a typo needs no database to be refused.
      const grant = checkedGrant(kind, id, pattern);
      return withSession(async (session) => {
        const added = await session.accessAdmin().grant(grant);
        say(
          added
            ? `granted ${JSON.stringify(pattern)} to ${describe(grant)}`
            : `${describe(grant)} already has ${JSON.stringify(pattern)}`,
        );
      });
    });

  directory
    .command('revoke')
    .description('remove a grant made with "grant"')
    .addArgument(subject())
    .argument('<id>', 'user or group id')
    .argument('<pattern>', 'the pattern exactly as granted')
    .action((kind: ChannelGrant['subject'], id: string, pattern: string) => {
      const grant = checkedGrant(kind, id, pattern);
      return withSession(async (session) => {
        if (!(await session.accessAdmin().revoke(grant))) {
          throw new CliError(
            `${describe(grant)} has no grant of ${JSON.stringify(pattern)}`,
            EXIT.refused,
          );
        }
        say(`revoked ${JSON.stringify(pattern)} from ${describe(grant)}`);
      });
    });

  directory
    .command('grants')
    .description(
      'print grants as "<user|group> <id> <pattern>" lines; --user: those reaching the user (their own and their groups\')',
    )
    .option('--user <id>', 'only the grants that reach this user')
    .option('--group <id>', "only this group's grants")
    .action((options: ListOptions) => {
      const filter = checkedFilter(options);
      return withSession((session) =>
        session
          .accessAdmin()
          .forEachGrant(filter, PAGE, (grants) =>
            write(
              process.stdout,
              grants
                .map(
                  (grant) =>
                    `${grant.subject} ${escapeForLog(grant.subjectId)} ${escapeForLog(grant.channelPattern)}\n`,
                )
                .join(''),
            ),
          ),
      );
    });

  const groups = directory
    .command('groups')
    .description(
      'group memberships (what {group} patterns and group grants use)',
    );

  groups
    .command('add')
    .description('make a user a member of a group')
    .argument('<group>', 'group id (the user id rules apply)')
    .argument('<user>', 'user id')
    .action((groupId: string, userId: string) => {
      requireId('group', groupId);
      requireId('user', userId);
      return withSession(async (session) => {
        const added = await session.accessAdmin().addMember(groupId, userId);
        say(
          added
            ? `added user ${JSON.stringify(userId)} to group ${JSON.stringify(groupId)}`
            : `user ${JSON.stringify(userId)} is already in group ${JSON.stringify(groupId)}`,
        );
        // Not refused: with DIRECTORY_UNKNOWN_USERS=claims users sign in without a record.
        if (!(await session.directory.findUser(userId))) {
          say(
            `note: there is no user ${JSON.stringify(userId)} in the directory (fine with DIRECTORY_UNKNOWN_USERS=claims)`,
          );
        }
      });
    });

  groups
    .command('remove')
    .description('take a user out of a group')
    .argument('<group>', 'group id')
    .argument('<user>', 'user id')
    .action((groupId: string, userId: string) => {
      requireId('group', groupId);
      requireId('user', userId);
      return withSession(async (session) => {
        if (!(await session.accessAdmin().removeMember(groupId, userId))) {
          throw new CliError(
            `user ${JSON.stringify(userId)} is not in group ${JSON.stringify(groupId)}`,
            EXIT.refused,
          );
        }
        say(
          `removed user ${JSON.stringify(userId)} from group ${JSON.stringify(groupId)}`,
        );
      });
    });

  groups
    .command('list')
    .description('print memberships as "<group> <user>" lines')
    .option('--user <id>', "only this user's groups")
    .option('--group <id>', "only this group's members")
    .action((options: ListOptions) => {
      const filter = checkedFilter(options);
      return withSession((session) =>
        session
          .accessAdmin()
          .forEachMembership(filter, PAGE, (memberships) =>
            write(
              process.stdout,
              memberships
                .map(
                  ({ groupId, userId }) =>
                    `${escapeForLog(groupId)} ${escapeForLog(userId)}\n`,
                )
                .join(''),
            ),
          ),
      );
    });
}

/** What the service would read back: a malformed pattern is refused here, not ignored there. */
function checkedGrant(
  subject: ChannelGrant['subject'],
  subjectId: string,
  channelPattern: string,
): ChannelGrant {
  requireId(subject, subjectId);
  const parsed = parseChannelPattern(channelPattern);
  if (!isChannelPattern(parsed)) {
    throw new CliError(`the channel pattern ${parsed.problem}`, EXIT.refused);
  }
  return { subject, subjectId, channelPattern };
}

function checkedFilter(options: ListOptions): ListOptions {
  if (options.user !== undefined) requireId('user', options.user);
  if (options.group !== undefined) requireId('group', options.group);
  return options;
}

function requireId(what: 'user' | 'group', id: string): void {
  if (!isValidUserId(id)) {
    throw new CliError(`the ${what} id must be ${USER_ID_RULE}`, EXIT.refused);
  }
}

const describe = (grant: ChannelGrant) =>
  `${grant.subject} ${JSON.stringify(grant.subjectId)}`;
