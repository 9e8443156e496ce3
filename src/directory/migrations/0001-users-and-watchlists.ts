import { Kysely, Migration, sql } from 'kysely';
import type { StorageKind } from '../directory-schema';

export function usersAndWatchlists(kind: StorageKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('directory_users')
        .addColumn('id', 'varchar(128)', (column) => column.primaryKey())
        .addColumn('user_info', kind === 'postgres' ? 'jsonb' : 'text')
        .addColumn('created_at', 'timestamp', (column) =>
          column.notNull().defaultTo(sql`CURRENT_TIMESTAMP`),
        )
        .addColumn('updated_at', 'timestamp', (column) =>
          column.notNull().defaultTo(sql`CURRENT_TIMESTAMP`),
        )
        .execute();
      await db.schema
        .createTable('directory_watchlist')
        .addColumn('user_id', 'varchar(128)', (column) =>
          column.notNull().references('directory_users.id').onDelete('cascade'),
        )
        .addColumn('position', 'integer', (column) => column.notNull())
        .addColumn('watched_id', 'varchar(128)', (column) => column.notNull())
        .addPrimaryKeyConstraint('directory_watchlist_pk', [
          'user_id',
          'position',
        ])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('directory_watchlist').execute();
      await db.schema.dropTable('directory_users').execute();
    },
  };
}
