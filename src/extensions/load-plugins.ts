import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHIPPED_STRATEGIES } from '../auth/strategy-registry';
import { ConfigError } from '../config/config-error';
import type {
  AnyChannelCheck,
  AnyStrategy,
  Extensions,
} from '../config/extensions';
import { kindOf } from '../plugin/definition-brand';
import { NO_PLUGINS } from './service-config';
import { failureReason } from '../plugin/failure-reason';

/**
 * Loads every module `PLUGINS` lists, once, at boot: a path (relative to the working directory)
 * or a package name, CommonJS or ES module. Its exports (the default export and every named one)
 * that `defineStrategy`, `definePassportStrategy` or `defineChannelCheck` made are its extensions.
 * A default export that is a function is called once with the plugin API and returns them: a
 * plugin mounted anywhere (a volume) needs no `require('pusher-auth/plugin')` to resolve.
 * Throws a ConfigError naming each module and its problem: one that does not load, exports
 * nothing usable, or a name already taken.
 */
export async function loadPlugins(
  specifiers: readonly string[],
  cwd: string = process.cwd(),
): Promise<Extensions> {
  if (specifiers.length === 0) return NO_PLUGINS;
  const problems: string[] = [];
  const strategies: AnyStrategy[] = [];
  const channelChecks: AnyChannelCheck[] = [];
  const owners = new Map<string, string>(
    SHIPPED_STRATEGIES.map((strategy) => [
      `strategy ${strategy.name}`,
      'the shipped strategies',
    ]),
  );
  const modules = new Map<unknown, string>();
  for (const specifier of specifiers) {
    const where = `PLUGINS: ${specifier}`;
    let exported: Record<string, unknown>;
    try {
      exported = (await import(importTarget(specifier, cwd))) as Record<
        string,
        unknown
      >;
    } catch (error) {
      problems.push(`${where}: cannot be loaded (${loadFailure(error)})`);
      continue;
    }
    // One module under two spellings (`./a.js` and its absolute path) is loaded once by Node:
    // the same namespace (a factory would otherwise define its extensions twice).
    const listed = modules.get(exported);
    if (listed !== undefined) {
      problems.push(
        `${where}: is the module ${listed} already lists; list it once`,
      );
      continue;
    }
    modules.set(exported, specifier);
    let found: (AnyStrategy | AnyChannelCheck)[];
    try {
      found = extensionsIn(await fromFactory(exported));
    } catch (error) {
      problems.push(
        `${where}: its factory function failed (${loadFailure(error)})`,
      );
      continue;
    }
    if (found.length === 0) {
      problems.push(
        `${where}: exports no strategy or channel check (export what defineStrategy, definePassportStrategy or defineChannelCheck returns)`,
      );
    }
    for (const extension of found) {
      const kind =
        kindOf(extension) === 'strategy' ? 'strategy' : 'channel check';
      const key = `${kind} ${extension.name}`;
      const owner = owners.get(key);
      if (owner) {
        problems.push(
          `${where}: ${key} is already defined by ${owner}; choose another name`,
        );
        continue;
      }
      owners.set(key, specifier);
      if (kind === 'strategy') strategies.push(extension as AnyStrategy);
      else channelChecks.push(extension as AnyChannelCheck);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { strategies, channelChecks };
}

/** A path (anything starting with `.` or `/`) becomes a file URL; a package name stays one. */
function importTarget(specifier: string, cwd: string): string {
  if (!specifier.startsWith('.') && !isAbsolute(specifier)) return specifier;
  const path = resolve(cwd, specifier);
  if (!existsSync(path)) throw new Error(`no file at ${path}`);
  // import() does not read a folder's package.json or index.js as require() would.
  if (statSync(path).isDirectory()) {
    throw new Error(`${path} is a folder: name the plugin's file`);
  }
  return pathToFileURL(path).href;
}

/** A default export that is a function is the plugin's factory: its result stands for it. */
async function fromFactory(
  exported: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (typeof exported.default !== 'function') return exported;
  const loaded = (await import('../plugin/index.js')) as { default?: unknown };
  const api = loaded.default ?? loaded;
  return {
    default: await (exported.default as (api: unknown) => unknown)(api),
  };
}

/** The default export (for CommonJS, `module.exports`) and each named export, once each. */
function extensionsIn(
  exported: Record<string, unknown>,
): (AnyStrategy | AnyChannelCheck)[] {
  const candidates = new Set<unknown>();
  const add = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(add);
    else if (kindOf(value)) candidates.add(value);
  };
  add(exported.default);
  if (exported.default && typeof exported.default === 'object') {
    Object.values(exported.default).forEach(add);
  }
  for (const [name, value] of Object.entries(exported)) {
    if (name !== 'default') add(value);
  }
  return [...candidates] as (AnyStrategy | AnyChannelCheck)[];
}

function loadFailure(error: unknown): string {
  // The first line only: a module's stack says nothing an operator can act on here.
  return failureReason(error).split('\n', 1)[0];
}
