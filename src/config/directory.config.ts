import type { DirectoryConfig, UserRulesConfig } from './app-config';
import { ConfigError } from './config-error';
import { Env, envSchema } from './env.schema';

/** The settings the user directory reads: shared by the service and the directory CLI. */
const directoryEnvSchema = envSchema.pick({
  NODE_ENV: true,
  DIRECTORY_URL: true,
  DIRECTORY_UNKNOWN_USERS: true,
  DIRECTORY_CACHE_TTL_MS: true,
  DIRECTORY_CACHE_MAX_USERS: true,
  DIRECTORY_USER_QUERY: true,
  DIRECTORY_WATCHLIST_QUERY: true,
  DIRECTORY_USERS_QUERY: true,
  DIRECTORY_WATCHLISTS_QUERY: true,
  DIRECTORY_STALE_IF_ERROR_MS: true,
  TERMINATE_ON_REMOVE: true,
  TERMINATE_ON_REVOKE: true,
  WATCHLIST_MAX: true,
  USER_INFO_MAX_BYTES: true,
});

type DirectoryEnv = Pick<Env, keyof typeof directoryEnvSchema.shape>;

/** `$1` and not `$10`: the id must be bound, or every caller would get the same row. */
const USES_FIRST_PARAMETER = /\$1(?![0-9])/;

export function buildDirectoryConfig(
  env: DirectoryEnv,
  production: boolean,
  problems: string[],
): DirectoryConfig {
  checkDirectoryUrl(env.DIRECTORY_URL, production, problems);
  const userQuery = env.DIRECTORY_USER_QUERY;
  const watchlistQuery = env.DIRECTORY_WATCHLIST_QUERY;
  const usersQuery = env.DIRECTORY_USERS_QUERY;
  const watchlistsQuery = env.DIRECTORY_WATCHLISTS_QUERY;
  for (const [name, query, what] of [
    ['DIRECTORY_USER_QUERY', userQuery, 'the user id'],
    ['DIRECTORY_WATCHLIST_QUERY', watchlistQuery, 'the user id'],
    ['DIRECTORY_USERS_QUERY', usersQuery, 'the list of user ids'],
    ['DIRECTORY_WATCHLISTS_QUERY', watchlistsQuery, 'the list of user ids'],
  ] as const) {
    if (query !== undefined && !USES_FIRST_PARAMETER.test(query)) {
      problems.push(`${name} must use $1 for ${what}`);
    }
  }
  if (env.TERMINATE_ON_REMOVE && env.DIRECTORY_UNKNOWN_USERS === 'claims') {
    // Absence is then no proof of removal, and a removed user signs straight back in anyway.
    problems.push(
      'TERMINATE_ON_REMOVE needs DIRECTORY_UNKNOWN_USERS=deny: with claims, users not in the directory sign in, so a user missing from it may never have been removed',
    );
  }
  if (env.TERMINATE_ON_REVOKE && userQuery !== undefined) {
    // Grants and groups live only in the built-in tables, which are then not read at all.
    problems.push(
      'TERMINATE_ON_REVOKE needs the built-in tables: with DIRECTORY_USER_QUERY no grant or group membership is read from the directory, so none can be revoked',
    );
  }
  if (watchlistQuery !== undefined && userQuery === undefined) {
    problems.push(
      'DIRECTORY_WATCHLIST_QUERY needs DIRECTORY_USER_QUERY (the built-in tables hold their own watchlists)',
    );
  }
  if (usersQuery !== undefined && userQuery === undefined) {
    // One user is still read alone (health checks, ids the list query cannot take).
    problems.push(
      'DIRECTORY_USERS_QUERY needs DIRECTORY_USER_QUERY (the built-in tables already read several users in one query)',
    );
  }
  if (
    watchlistsQuery !== undefined &&
    (usersQuery === undefined || watchlistQuery === undefined)
  ) {
    // Only list reads use it; a user read alone would otherwise get no watchlist at all.
    problems.push(
      'DIRECTORY_WATCHLISTS_QUERY needs DIRECTORY_USERS_QUERY (the list reads it serves) and DIRECTORY_WATCHLIST_QUERY (for a user read alone)',
    );
  }
  return {
    url: env.DIRECTORY_URL,
    unknownUsers: env.DIRECTORY_UNKNOWN_USERS,
    cacheTtlMs: env.DIRECTORY_CACHE_TTL_MS,
    cacheMaxUsers: env.DIRECTORY_CACHE_MAX_USERS,
    ...(userQuery !== undefined ? { userQuery } : {}),
    ...(watchlistQuery !== undefined ? { watchlistQuery } : {}),
    ...(usersQuery !== undefined ? { usersQuery } : {}),
    ...(watchlistsQuery !== undefined ? { watchlistsQuery } : {}),
    staleIfErrorMs: env.DIRECTORY_STALE_IF_ERROR_MS,
    terminateOnRemove: env.TERMINATE_ON_REMOVE,
    terminateOnRevoke: env.TERMINATE_ON_REVOKE,
  };
}

export function buildUserRulesConfig(env: DirectoryEnv): UserRulesConfig {
  return {
    watchlistMax: env.WATCHLIST_MAX,
    userInfoMaxBytes: env.USER_INFO_MAX_BYTES,
  };
}

export interface DirectoryToolConfig {
  directory: DirectoryConfig;
  userRules: UserRulesConfig;
}

/**
 * The directory CLI's configuration: the same variables, defaults and checks as the service,
 * without the Pusher and JWT settings an operator's shell has no reason to hold.
 */
export function loadDirectoryToolConfig(
  rawEnv: Record<string, string | undefined>,
): DirectoryToolConfig {
  const parsed = directoryEnvSchema.safeParse(rawEnv);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message}`,
      ),
    );
  }
  const problems: string[] = [];
  const directory = buildDirectoryConfig(
    parsed.data,
    parsed.data.NODE_ENV === 'production',
    problems,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return { directory, userRules: buildUserRulesConfig(parsed.data) };
}

function checkDirectoryUrl(
  url: string,
  production: boolean,
  problems: string[],
): void {
  if (!/^(postgres|postgresql|sqlite):\/\/.+/.test(url)) {
    problems.push(
      'DIRECTORY_URL must start with postgres://, postgresql:// or sqlite://',
    );
  } else if (production && url === 'sqlite://:memory:') {
    problems.push(
      'DIRECTORY_URL: an in-memory directory loses every user on restart',
    );
  }
}
