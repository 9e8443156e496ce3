import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  renderSettingsFiles,
  SETTINGS_FILES,
  SettingsFile,
} from './settings-files';

/** The repository root, from src/settings-docs or dist/settings-docs. */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** The committed files as they are on disk, undefined when missing. */
export function readSettingsFiles(): Record<SettingsFile, string | undefined> {
  const read = (file: SettingsFile) => {
    try {
      return readFileSync(resolve(REPOSITORY_ROOT, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    '.env.example': read('.env.example'),
    'docs/configuration.md': read('docs/configuration.md'),
  };
}

/** `npm run settings`: writes .env.example and docs/configuration.md from the settings schemas. */
if (require.main === module) {
  const files = renderSettingsFiles();
  for (const file of SETTINGS_FILES) {
    writeFileSync(resolve(REPOSITORY_ROOT, file), files[file]);
    process.stdout.write(`wrote ${file}\n`);
  }
}
