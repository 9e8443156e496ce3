import { z } from 'zod';
import {
  parseOperatorDocument,
  readOperatorFile,
  where,
} from './operator-file';

/** An operator's file; a few dozen apps at most, so anything near this size is a mistake. */
const MAX_APPS_BYTES = 256 * 1024;

/** The name is a path segment (`/apps/{name}/…`) and a metrics label value: nothing to escape. */
export const APP_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const APP_NAME_RULE =
  '1-63 characters of a-z 0-9 _ -, starting with a letter or digit';
/** The single-app variables' app: its paths are the unprefixed ones and `/apps/default/…`. */
export const DEFAULT_APP_NAME = 'default';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = (what: string) =>
  z
    .string({
      message: `must be the name of the environment variable holding ${what}`,
    })
    .regex(ENV_NAME, `must be an environment variable name (A-Z a-z 0-9 _)`);

const entrySchema = z
  .strictObject({
    name: z
      .string({ message: `must be ${APP_NAME_RULE}` })
      .regex(APP_NAME_PATTERN, `must be ${APP_NAME_RULE}`)
      .refine((name) => name !== DEFAULT_APP_NAME, {
        message: `"${DEFAULT_APP_NAME}" is the app of the PUSHER_APP_ID/PUSHER_KEY/PUSHER_SECRET variables`,
      }),
    app_id: z
      .union([z.string().min(1), z.number().int().nonnegative()], {
        message: 'must be the Pusher app id',
      })
      .transform(String),
    key: z
      .string({ message: 'must be the app key' })
      .min(1, 'must be the app key'),
    secret_env: envName('the app secret'),
    encryption_master_key_env: envName('the encryption master key').optional(),
    cluster: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    use_tls: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .refine((entry) => !(entry.cluster && entry.host), {
    message: 'set cluster or host, not both',
  });

const appsSchema = z.strictObject(
  { apps: z.array(entrySchema, { message: 'must be a list of apps' }).min(1) },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'must be a mapping with an apps list'
        : undefined,
  },
);

export type AppsFileEntry = z.infer<typeof entrySchema>;

export type AppsFileParse =
  | { entries: AppsFileEntry[]; problems?: undefined }
  | { entries?: undefined; problems: string[] };

/** Parses an apps document (YAML, or JSON, which YAML 1.2 reads too); every problem is named. */
export function parseAppsDocument(text: string): AppsFileParse {
  const parsed = parseOperatorDocument(text, appsSchema);
  if (parsed.problems) return parsed;
  const problems: string[] = [];
  const seen = new Set<string>();
  parsed.value.apps.forEach((entry, index) => {
    if (seen.has(entry.name)) {
      problems.push(`apps[${index}].name: "${entry.name}" is used twice`);
    }
    seen.add(entry.name);
  });
  return problems.length > 0 ? { problems } : { entries: parsed.value.apps };
}

/** Reads and parses the file; problems are prefixed with the setting and the path. */
export function readAppsFile(path: string): AppsFileParse {
  const prefix = where('PUSHER_APPS_FILE', path);
  const file = readOperatorFile('PUSHER_APPS_FILE', path, MAX_APPS_BYTES);
  if (file.problems) return file;
  const parsed = parseAppsDocument(file.value);
  return parsed.problems
    ? { problems: parsed.problems.map((problem) => `${prefix}: ${problem}`) }
    : parsed;
}
