/**
 * Marks what `defineStrategy` and `defineChannelCheck` return. A registry symbol, not a module's
 * own: a plugin that bundles its own copy of this package is still recognised.
 */
export const EXTENSION_KIND = Symbol.for('pusher-auth.extension-kind');

export type ExtensionKind = 'strategy' | 'channel-check';

/** Strategy and check names: they appear in settings, metric labels and log lines. */
export const EXTENSION_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export function brand<K extends ExtensionKind, D extends object>(
  kind: K,
  definition: D,
): D & { readonly [EXTENSION_KIND]: K } {
  return Object.freeze({ ...definition, [EXTENSION_KIND]: kind });
}

export function kindOf(value: unknown): ExtensionKind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as Record<symbol, unknown>)[EXTENSION_KIND];
  return kind === 'strategy' || kind === 'channel-check' ? kind : undefined;
}

type FieldType = 'object' | 'function';

/** A definition's mistakes, found when it is defined rather than when it is first used. */
export function checkDefinitionShape(
  kind: ExtensionKind,
  definition: unknown,
  requiredFunctions: readonly string[],
  optionalFields: Readonly<Record<string, FieldType>>,
): void {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(`a ${kind} definition must be an object`);
  }
  const fields = definition as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof fields.name !== 'string' || !EXTENSION_NAME.test(fields.name)) {
    problems.push(
      'name must be 1-40 characters of a-z 0-9 and -, starting with a letter',
    );
  }
  for (const name of requiredFunctions) {
    if (typeof fields[name] !== 'function') {
      problems.push(`${name} must be a function`);
    }
  }
  for (const [name, type] of Object.entries(optionalFields)) {
    if (fields[name] !== undefined && typeof fields[name] !== type) {
      problems.push(
        `${name} must be ${type === 'object' ? 'an object' : 'a function'}`,
      );
    }
  }
  // An object that is not a schema would pass the check above and fail at boot, unnamed.
  const schema = fields.settings as { safeParse?: unknown } | null | undefined;
  if (schema !== undefined && typeof schema?.safeParse !== 'function') {
    problems.push(
      'settings must be a zod schema (z.object({ ... }) with the z pusher-auth/plugin exports)',
    );
  }
  const secrets = fields.secrets;
  if (
    secrets !== undefined &&
    (!Array.isArray(secrets) ||
      !secrets.every((secret) => typeof secret === 'string'))
  ) {
    problems.push('secrets must be a list of variable names');
  }
  if (problems.length > 0) {
    // Quoted as JSON and cut: a name of any length or with a line break stays one short line.
    const name =
      typeof fields.name === 'string'
        ? ` ${JSON.stringify(fields.name.slice(0, 48))}${fields.name.length > 48 ? '…' : ''}`
        : '';
    throw new TypeError(`${kind}${name}: ${problems.join('; ')}`);
  }
}
