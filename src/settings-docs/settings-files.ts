import { SHIPPED_STRATEGIES } from '../auth/strategy-registry';
import { envSchema } from '../config/env.schema';
import { SETTING_SECTIONS } from '../config/setting-sections';
import { renderConfigurationPage } from './configuration-page';
import { documentedSections, SettingsSources } from './documented-settings';
import { renderEnvExample } from './env-example';

/** The service's settings and the shipped strategies': what `npm run settings` documents. */
export const PROJECT_SETTINGS: SettingsSources = {
  service: envSchema,
  sections: SETTING_SECTIONS,
  strategies: SHIPPED_STRATEGIES,
  strategiesAfter: 'identity',
};

/** The generated files, by path from the repository root. */
export const SETTINGS_FILES = [
  '.env.example',
  'docs/configuration.md',
] as const;
export type SettingsFile = (typeof SETTINGS_FILES)[number];
export type SettingsFiles = Readonly<Record<SettingsFile, string>>;

export function renderSettingsFiles(
  sources: SettingsSources = PROJECT_SETTINGS,
): SettingsFiles {
  const sections = documentedSections(sources);
  return {
    '.env.example': renderEnvExample(sections),
    'docs/configuration.md': renderConfigurationPage(sections),
  };
}
