import type { BootContext } from '../plugin/plugin-context';
import { AppConfig, PusherAppConfig } from './app-config';
import { ConfigError } from './config-error';
import { checkEndpointPaths } from './endpoint-paths';
import {
  DEMO_ENCRYPTION_MASTER_KEY_BASE64,
  DEMO_JWT_SECRET,
  DEMO_PUSHER_APP,
  PUBLIC_SECRETS,
  REAL_CONFIGURATION_KEYS,
} from './demo-mode';
import { buildDirectoryConfig, buildUserRulesConfig } from './directory.config';
import { Env, envSchema, flag, list } from './env.schema';
import { buildChannelsConfig } from './channels.config';
import { buildAppsConfig, checkRuleApps } from './apps.config';
import {
  AnyChannelCheck,
  AnyStrategy,
  EnabledExtension,
  Extensions,
  readExtensionSettings,
  secretValuesOf,
} from './extensions';
import { isExactOrigin, RawEnv } from './strategy-settings';
import { parseTrustProxy } from './trust-proxy';

/**
 * Validates the environment once, at boot. Throws a ConfigError naming every problem;
 * never returns a partially valid configuration.
 */
export function loadConfig(rawEnv: RawEnv, extensions: Extensions): AppConfig {
  const production = rawEnv.NODE_ENV === 'production';
  const demo =
    !production && REAL_CONFIGURATION_KEYS.every((key) => !rawEnv[key]?.trim());
  const effectiveEnv = demo ? withDemoDefaults(rawEnv) : rawEnv;
  const parsed = envSchema.safeParse(effectiveEnv);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    // The strategies' own sections are still read, so that one message lists every problem.
    const corsOrigins = list.parse(effectiveEnv.CORS_ORIGINS);
    const allowHttp = flag(false).safeParse(
      effectiveEnv.IDENTITY_PROVIDERS_ALLOW_HTTP,
    );
    const boot = {
      production,
      corsOrigins,
      allowHttpProviders: allowHttp.success && allowHttp.data,
    };
    const listed = list.parse(effectiveEnv.AUTH_STRATEGIES);
    const strategies = enabledStrategies(
      listed,
      extensions.strategies,
      problems,
    );
    readSettingsOf(strategies, effectiveEnv, boot, problems);
    readSettingsOf(extensions.channelChecks, effectiveEnv, boot, problems);
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  const problems: string[] = [];

  const pusher = buildPusherConfig(env, production, problems);
  const apps = buildAppsConfig(
    pusher,
    env.PUSHER_APPS_FILE,
    effectiveEnv,
    problems,
  );
  const boot: BootContext = {
    production,
    corsOrigins: env.CORS_ORIGINS,
    allowHttpProviders: env.IDENTITY_PROVIDERS_ALLOW_HTTP,
  };
  const strategies = readSettingsOf(
    enabledStrategies(env.AUTH_STRATEGIES, extensions.strategies, problems),
    effectiveEnv,
    boot,
    problems,
  );
  const channelChecks = readSettingsOf(
    extensions.channelChecks,
    effectiveEnv,
    boot,
    problems,
  );
  checkEndpointPaths(
    {
      PUSHER_USER_AUTH_PATH: env.PUSHER_USER_AUTH_PATH,
      PUSHER_CHANNEL_AUTH_PATH: env.PUSHER_CHANNEL_AUTH_PATH,
    },
    problems,
  );
  const directory = buildDirectoryConfig(env, production, problems);
  checkCorsOrigins(env.CORS_ORIGINS, problems);
  const channels = buildChannelsConfig(
    env,
    channelChecks.map((check) => check.definition.name),
    boot,
    problems,
  );
  checkRuleApps(channels.rules, apps, problems);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return new AppConfig({
    production,
    demo: { enabled: demo },
    http: {
      port: env.PORT,
      host: env.HOST,
      userAuthPath: env.PUSHER_USER_AUTH_PATH,
      channelAuthPath: env.PUSHER_CHANNEL_AUTH_PATH,
      corsOrigins: env.CORS_ORIGINS,
      jsonpEnabled: env.JSONP_ENABLED,
      trustProxy,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    },
    pusher,
    apps,
    strategies,
    channelChecks,
    logSafety: {
      secrets: secretValuesOf(
        [
          ...strategies.map(({ definition }) => definition),
          ...extensions.channelChecks,
        ],
        effectiveEnv,
      ),
      credentialParameters: strategies.flatMap(
        ({ definition, settings }) =>
          definition.credentialParameters?.(settings) ?? [],
      ),
    },
    directory,
    userRules: buildUserRulesConfig(env),
    channels,
    rateLimit: {
      perIpPerMinute: env.RATE_LIMIT_PER_IP,
      perUserPerMinute: env.RATE_LIMIT_PER_USER,
      redisUrl: env.REDIS_URL,
      redisKeyPrefix: env.REDIS_KEY_PREFIX,
      maxKeys: env.RATE_LIMIT_MAX_KEYS,
      redisBreakerCooldownMs: env.REDIS_BREAKER_COOLDOWN_MS,
    },
    shutdown: {
      delayMs: env.SHUTDOWN_DELAY_MS,
      timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
  });
}

function withDemoDefaults(rawEnv: RawEnv): RawEnv {
  return {
    ...rawEnv,
    ...DEMO_PUSHER_APP,
    JWT_SECRET: DEMO_JWT_SECRET,
    PUSHER_ENCRYPTION_MASTER_KEY_BASE64:
      rawEnv.PUSHER_ENCRYPTION_MASTER_KEY_BASE64?.trim() ||
      DEMO_ENCRYPTION_MASTER_KEY_BASE64,
  };
}

function buildPusherConfig(
  env: Env,
  production: boolean,
  problems: string[],
): PusherAppConfig {
  for (const name of [
    'PUSHER_APP_ID',
    'PUSHER_KEY',
    'PUSHER_SECRET',
  ] as const) {
    if (!env[name]) problems.push(`${name} is required`);
  }
  if (
    production &&
    env.PUSHER_SECRET &&
    PUBLIC_SECRETS.includes(env.PUSHER_SECRET)
  ) {
    problems.push(
      "PUSHER_SECRET is a well-known default: use your app's real secret",
    );
  }
  if (env.PUSHER_CLUSTER && env.PUSHER_HOST) {
    problems.push('set PUSHER_CLUSTER or PUSHER_HOST, not both');
  }
  const masterKey = env.PUSHER_ENCRYPTION_MASTER_KEY_BASE64;
  if (production && masterKey && PUBLIC_SECRETS.includes(masterKey)) {
    problems.push(
      'PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is the public demo key: generate your own',
    );
  }
  if (masterKey && Buffer.from(masterKey, 'base64').length !== 32) {
    problems.push(
      'PUSHER_ENCRYPTION_MASTER_KEY_BASE64 must be 32 bytes, base64-encoded',
    );
  }
  return {
    appId: env.PUSHER_APP_ID ?? '',
    key: env.PUSHER_KEY ?? '',
    secret: env.PUSHER_SECRET ?? '',
    cluster: env.PUSHER_CLUSTER,
    host: env.PUSHER_HOST,
    port: env.PUSHER_PORT || undefined,
    useTLS: env.PUSHER_USE_TLS,
    encryptionMasterKeyBase64: masterKey,
  };
}

/** `AUTH_STRATEGIES` by name, in order; the first known strategy (jwt) when unset. */
function enabledStrategies(
  listed: string[],
  known: readonly AnyStrategy[],
  problems: string[],
): AnyStrategy[] {
  const names =
    listed.length > 0 ? listed : known.slice(0, 1).map((s) => s.name);
  if (new Set(names).size !== names.length) {
    problems.push('AUTH_STRATEGIES: a strategy is listed twice');
  }
  const enabled: AnyStrategy[] = [];
  for (const name of new Set(names)) {
    const definition = known.find((strategy) => strategy.name === name);
    if (definition) enabled.push(definition);
    else {
      problems.push(
        `AUTH_STRATEGIES: unknown strategy "${name}" (known: ${known.map((strategy) => strategy.name).join(', ')})`,
      );
    }
  }
  return enabled;
}

/** Each enabled extension validates its own variables; unknown names were reported already. */
function readSettingsOf<D extends AnyStrategy | AnyChannelCheck>(
  definitions: readonly D[],
  env: RawEnv,
  boot: BootContext,
  problems: string[],
): EnabledExtension<D>[] {
  const enabled: EnabledExtension<D>[] = [];
  for (const definition of definitions) {
    const read = readExtensionSettings(definition, env, boot, problems);
    if (read) enabled.push({ definition, settings: read.settings, boot });
  }
  return enabled;
}

function checkCorsOrigins(origins: string[], problems: string[]): void {
  for (const origin of origins) {
    if (!isExactOrigin(origin)) {
      problems.push(
        `CORS_ORIGINS: "${origin}" is not an exact origin like https://app.example.com (no wildcards, paths or "null")`,
      );
    }
  }
}
