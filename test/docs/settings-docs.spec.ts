import { z } from 'zod';
import { JWT_STRATEGY } from '../../src/auth/jwt/jwt.strategy';
import { JWT_SCHEMA } from '../../src/auth/jwt/jwt.settings';
import { SHIPPED_STRATEGIES } from '../../src/auth/strategy-registry';
import { envSchema } from '../../src/config/env.schema';
import { documented } from '../../src/plugin/setting-doc';
import { integer, optionalText } from '../../src/plugin/settings';
import {
  PROJECT_SETTINGS,
  renderSettingsFiles,
} from '../../src/settings-docs/settings-files';
import { staleSettingsFiles } from '../../src/settings-docs/stale-settings-files';
import { readSettingsFiles } from '../../src/settings-docs/write-settings-docs';

/** .env.example and docs/configuration.md are generated from the settings schemas (`npm run settings`). */
describe('the generated settings files', () => {
  const committed = readSettingsFiles();

  it('are up to date with the schemas', () => {
    expect(staleSettingsFiles(renderSettingsFiles(), committed)).toEqual([]);
  });

  it('name a service setting added to its schema without regenerating', () => {
    const withExtra = renderSettingsFiles({
      ...PROJECT_SETTINGS,
      service: envSchema.extend({
        EXTRA_SETTING: documented(integer(5, 0, 10), {
          description: 'A setting nobody regenerated the files for.',
          section: 'http',
        }),
      }),
    });
    expect(staleSettingsFiles(withExtra, committed)).toEqual([
      '.env.example is out of date (run npm run settings): missing EXTRA_SETTING',
      'docs/configuration.md is out of date (run npm run settings): missing EXTRA_SETTING',
    ]);
  });

  it("name a strategy's setting added to its schema without regenerating", () => {
    const jwt = {
      ...JWT_STRATEGY,
      settings: JWT_SCHEMA.extend({
        JWT_EXTRA_CLAIM: documented(optionalText, {
          description: 'A claim nobody regenerated the files for.',
        }),
      }),
    };
    const withExtra = renderSettingsFiles({
      ...PROJECT_SETTINGS,
      strategies: SHIPPED_STRATEGIES.map((strategy) =>
        strategy.name === 'jwt' ? jwt : strategy,
      ),
    });
    expect(staleSettingsFiles(withExtra, committed)).toEqual([
      '.env.example is out of date (run npm run settings): missing JWT_EXTRA_CLAIM',
      'docs/configuration.md is out of date (run npm run settings): missing JWT_EXTRA_CLAIM',
    ]);
  });

  it('name a setting that is no longer in the schemas', () => {
    const without = renderSettingsFiles({
      ...PROJECT_SETTINGS,
      service: envSchema.omit({ WATCHLIST_MAX: true }),
    });
    expect(staleSettingsFiles(without, committed)).toEqual([
      '.env.example is out of date (run npm run settings): no longer settings: WATCHLIST_MAX',
      'docs/configuration.md is out of date (run npm run settings): no longer settings: WATCHLIST_MAX',
    ]);
  });

  it('point at the first changed line when a description changed', () => {
    const changed = renderSettingsFiles({
      ...PROJECT_SETTINGS,
      service: envSchema.extend({
        PORT: documented(integer(3000, 0, 65535), {
          description: 'Where to listen.',
          section: 'http',
        }),
      }),
    });
    const problems = staleSettingsFiles(changed, committed);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^\.env\.example is out of date \(run npm run settings\): line \d+ should read "# Where to listen\. Values: an integer from 0 to 65535\. Default: 3000\."$/,
    );
  });

  it('cannot be generated while a setting has no description, naming it', () => {
    expect(() =>
      renderSettingsFiles({
        ...PROJECT_SETTINGS,
        service: envSchema.extend({ UNDOCUMENTED: optionalText }),
      }),
    ).toThrow(/UNDOCUMENTED: no description/);
  });

  it('list every setting of the service and of each shipped strategy, with its strategy', () => {
    const page = committed['docs/configuration.md'] ?? '';
    const names = [
      ...Object.keys(envSchema.shape),
      ...SHIPPED_STRATEGIES.flatMap(({ settings }) =>
        settings instanceof z.ZodObject ? Object.keys(settings.shape) : [],
      ),
    ];
    for (const name of names) expect(page).toContain(`| \`${name}\` |`);
    for (const { name } of SHIPPED_STRATEGIES) {
      expect(page).toContain(`## Strategy: ${name}`);
      expect(page).toContain(`Read by the \`${name}\` strategy`);
    }
  });
});

describe('setting documentation', () => {
  it('never changes what a schema parses', () => {
    const bare = integer(30, 0, 3600);
    const described = documented(bare, { description: 'Leeway.' });
    for (const value of [undefined, '', '12', '3601', 'x']) {
      expect(described.safeParse(value)).toEqual(bare.safeParse(value));
    }
  });

  it("is where a shipped strategy's secrets come from", () => {
    expect(
      Object.fromEntries(
        SHIPPED_STRATEGIES.map(({ name, secrets }) => [name, secrets ?? []]),
      ),
    ).toEqual({
      jwt: ['JWT_SECRET'],
      introspection: ['INTROSPECTION_CLIENT_SECRET'],
      'forward-auth': [],
      'signed-header': ['SIGNED_HEADER_SECRET'],
    });
  });
});
