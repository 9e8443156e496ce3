import { Kysely, Migration, sql } from 'kysely';

/**
 * Group membership and channel grants. No foreign key to directory_users: with
 * `DIRECTORY_UNKNOWN_USERS=claims` a user may hold grants without a stored record.
 */
export function channelGrants(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('directory_group_members')
        .addColumn('group_id', 'varchar(128)', (column) => column.notNull())
        .addColumn('user_id', 'varchar(128)', (column) => column.notNull())
        .addPrimaryKeyConstraint('directory_group_members_pk', [
          'group_id',
          'user_id',
        ])
        .execute();
      // Look-ups go from a user to their groups; the primary key serves the other direction.
      await db.schema
        .createIndex('directory_group_members_user_idx')
        .on('directory_group_members')
        .column('user_id')
        .execute();
      await db.schema
        .createTable('directory_channel_grants')
        .addColumn('subject_kind', 'varchar(5)', (column) => column.notNull())
        .addColumn('subject_id', 'varchar(128)', (column) => column.notNull())
        .addColumn('channel_pattern', 'varchar(200)', (column) =>
          column.notNull(),
        )
        .addColumn('created_at', 'timestamp', (column) =>
          column.notNull().defaultTo(sql`CURRENT_TIMESTAMP`),
        )
        .addPrimaryKeyConstraint('directory_channel_grants_pk', [
          'subject_kind',
          'subject_id',
          'channel_pattern',
        ])
        .addCheckConstraint(
          'directory_channel_grants_subject_kind',
          sql`subject_kind in ('user', 'group')`,
        )
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('directory_channel_grants').execute();
      await db.schema.dropTable('directory_group_members').execute();
    },
  };
}
