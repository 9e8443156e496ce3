import type { AppConfig } from '../../src/config/app-config';
import { ConfigError } from '../../src/config/config-error';
import { loadServiceConfig } from '../../src/extensions/service-config';

/** The Pusher credentials every configuration needs; a spec adds the variables it is about. */
export const PUSHER_ENV = {
  PUSHER_APP_ID: '1',
  PUSHER_KEY: 'key',
  PUSHER_SECRET: 'secret',
};

/** The configuration the service would start with, from PUSHER_ENV and `env`. */
export const serviceConfigOf = (env: Record<string, string>): AppConfig =>
  loadServiceConfig({ ...PUSHER_ENV, ...env });

/** Every problem the service would refuse to start with; fails when it would start. */
export function configProblemsOf(env: Record<string, string>): string[] {
  try {
    serviceConfigOf(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

/** An enabled strategy's section: its definition and validated variables. */
export const strategySectionOf = (config: AppConfig, name: string) =>
  config.strategies.find(({ definition }) => definition.name === name);
