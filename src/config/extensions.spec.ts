import { z } from 'zod';
import { defineChannelCheck } from '../plugin/channel-check-definition';
import { defineStrategy } from '../plugin/strategy-definition';
import { readExtensionSettings } from './extensions';

const BOOT = { production: false, corsOrigins: [], allowHttpProviders: false };
const SECRET = 'sso-client-secret-value';

function problemsOf(
  definition: Parameters<typeof readExtensionSettings>[0],
  env: Record<string, string>,
): { read: unknown; problems: string[] } {
  const problems: string[] = [];
  const read = readExtensionSettings(definition, env, BOOT, problems);
  return { read, problems };
}

describe('readExtensionSettings', () => {
  it('turns a schema that throws into a problem naming the extension, its secrets removed', () => {
    const definition = defineStrategy({
      name: 'sso',
      settings: z.object({
        SSO_SECRET: z.string().refine((value) => {
          throw new Error(`cannot use ${value}`);
        }),
      }),
      secrets: ['SSO_SECRET'],
      authenticate: () => null,
    });
    expect(problemsOf(definition, { SSO_SECRET: SECRET })).toEqual({
      read: undefined,
      problems: [
        'strategy sso: its settings schema failed (cannot use [Redacted])',
      ],
    });
  });

  it('turns a validate that throws into a problem naming the extension', () => {
    const definition = defineChannelCheck({
      name: 'rooms',
      validate: () => {
        throw new TypeError('settings.ROOMS is undefined');
      },
      check: () => false,
    });
    expect(problemsOf(definition, {}).problems).toEqual([
      'channel check rooms: validate() failed (settings.ROOMS is undefined)',
    ]);
  });

  it("removes the extension's secrets from the problems it reports", () => {
    const definition = defineStrategy({
      name: 'sso',
      settings: z.object({
        SSO_SECRET: z.string().refine((value) => value.startsWith('x'), {
          error: (issue) => `does not start with x: ${String(issue.input)}`,
        }),
      }),
      secrets: ['SSO_SECRET'],
      validate: () => [`SSO_SECRET ${SECRET} is weak`],
      authenticate: () => null,
    });
    const { problems } = problemsOf(definition, { SSO_SECRET: SECRET });
    expect(problems.join('\n')).not.toContain(SECRET);
    expect(problems).toEqual(['SSO_SECRET: does not start with x: [Redacted]']);
  });
});
