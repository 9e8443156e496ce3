import { resolve } from 'node:path';
import type { NamedPusherAppConfig, PusherAppConfig } from './app-config';
import { AppsFileEntry, DEFAULT_APP_NAME, readAppsFile } from './apps-file';
import { PUBLIC_SECRETS } from './demo-mode';
import type { RawEnv } from './strategy-settings';
import type { ChannelRule } from '../channels/policy/channel-rule';

/** Pusher's own secrets are 20 hex characters; anything much shorter is guessable or a placeholder. */
export const MIN_APP_SECRET_LENGTH = 16;

/**
 * Every app this deployment signs for: the single-app variables' app (`default`) first, then the
 * entries of `PUSHER_APPS_FILE`. A secret is read from the variable the entry names; a problem
 * names that variable and never its value.
 */
export function buildAppsConfig(
  defaultApp: PusherAppConfig,
  appsFile: string | undefined,
  rawEnv: RawEnv,
  problems: string[],
): NamedPusherAppConfig[] {
  const apps: NamedPusherAppConfig[] = [
    { name: DEFAULT_APP_NAME, ...defaultApp },
  ];
  if (!appsFile) return apps;
  const path = resolve(appsFile);
  const parsed = readAppsFile(path);
  if (parsed.problems) {
    problems.push(...parsed.problems);
    return apps;
  }
  parsed.entries.forEach((entry, index) => {
    const where = `PUSHER_APPS_FILE apps[${index}] (${entry.name})`;
    apps.push(toAppConfig(entry, readSecrets(entry, rawEnv, where, problems)));
  });
  return apps;
}

/** A policy rule limited to apps may name only configured ones (a typo would silently deny). */
export function checkRuleApps(
  rules: readonly ChannelRule[],
  apps: readonly NamedPusherAppConfig[],
  problems: string[],
): void {
  const names = apps.map((app) => app.name);
  for (const rule of rules) {
    for (const name of rule.apps ?? []) {
      if (!names.includes(name)) {
        problems.push(
          `${rule.source}.apps: "${name}" is not a configured app (configured: ${names.join(', ')})`,
        );
      }
    }
  }
}

function readSecrets(
  entry: AppsFileEntry,
  rawEnv: RawEnv,
  where: string,
  problems: string[],
): { secret: string; masterKey?: string } {
  const secret = rawEnv[entry.secret_env]?.trim() ?? '';
  if (!secret) {
    problems.push(`${where}: secret_env ${entry.secret_env} is not set`);
  } else if (
    secret.length < MIN_APP_SECRET_LENGTH ||
    PUBLIC_SECRETS.includes(secret)
  ) {
    problems.push(
      `${where}: the secret in ${entry.secret_env} is weak (a well-known value or shorter than ${MIN_APP_SECRET_LENGTH} characters)`,
    );
  }
  const keyEnv = entry.encryption_master_key_env;
  if (!keyEnv) return { secret };
  const masterKey = rawEnv[keyEnv]?.trim() ?? '';
  if (!masterKey) {
    problems.push(`${where}: encryption_master_key_env ${keyEnv} is not set`);
  } else if (Buffer.from(masterKey, 'base64').length !== 32) {
    problems.push(`${where}: ${keyEnv} must be 32 bytes, base64-encoded`);
  }
  return { secret, masterKey };
}

function toAppConfig(
  entry: AppsFileEntry,
  { secret, masterKey }: { secret: string; masterKey?: string },
): NamedPusherAppConfig {
  return {
    name: entry.name,
    appId: entry.app_id,
    key: entry.key,
    secret,
    cluster: entry.cluster,
    host: entry.host,
    port: entry.port,
    useTLS: entry.use_tls ?? true,
    encryptionMasterKeyBase64: masterKey,
  };
}
