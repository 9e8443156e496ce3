import { createTestDatabase } from './postgres';
import { temporarySqliteUrl } from './test-app';

export interface TestStorage {
  url: string;
  cleanup(): Promise<void>;
}

/** Every directory test runs on both real backends: a SQLite file and the machine's PostgreSQL. */
export const STORAGE_BACKENDS: [string, () => Promise<TestStorage>][] = [
  [
    'SQLite file',
    () => {
      const file = temporarySqliteUrl();
      return Promise.resolve({
        url: file.url,
        cleanup: () => Promise.resolve(file.cleanup()),
      });
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      return { url: database.url, cleanup: () => database.drop() };
    },
  ],
];
