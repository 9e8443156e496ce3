import { z } from 'zod';
import { settingDocOf } from '../plugin/setting-doc';
import type { SettingSection } from '../config/setting-sections';

/** One setting as the generated pages list it. */
export interface DocumentedSetting {
  readonly name: string;
  readonly description: string;
  /** In words: a value, `none`, `required`, or what it is computed from. */
  readonly default: string;
  /** The default is a value the schema produces (shown as code), not words. */
  readonly defaultIsValue: boolean;
  readonly values?: string;
  readonly secret: boolean;
  /** The value .env.example shows. */
  readonly example: string;
  /** .env.example sets it, uncommented. */
  readonly local: boolean;
}

/** A group of settings under one heading. */
export interface DocumentedSection {
  readonly title: string;
  readonly intro: readonly string[];
  /** The identity strategy that reads these settings (only when `AUTH_STRATEGIES` names it). */
  readonly strategy?: { readonly name: string; readonly description?: string };
  readonly settings: readonly DocumentedSetting[];
}

/** The shape of a strategy definition the pages need: its name, its line, its settings schema. */
export interface DocumentedStrategy {
  readonly name: string;
  readonly description?: string;
  readonly settings?: z.ZodType;
}

/** Where every setting is described: the service's schema, its sections, each strategy's schema. */
export interface SettingsSources {
  readonly service: z.ZodObject<z.core.$ZodShape>;
  readonly sections: readonly SettingSection[];
  readonly strategies: readonly DocumentedStrategy[];
  /** The service section the strategies' sections follow. */
  readonly strategiesAfter: string;
}

/**
 * Every setting, by section, read from the schemas' metadata. Throws naming every setting that
 * cannot be documented (no description, an unknown section): the pages must list them all.
 */
export function documentedSections(
  sources: SettingsSources,
): DocumentedSection[] {
  const problems: string[] = [];
  const service = settingsOf(sources.service, problems);
  for (const { name, section } of service) {
    if (!sources.sections.some(({ id }) => id === section)) {
      problems.push(`${name}: unknown section "${section ?? ''}"`);
    }
  }
  const strategies = sources.strategies.map((strategy) =>
    strategySection(strategy, problems),
  );
  if (problems.length > 0) {
    throw new Error(`settings without documentation:\n${problems.join('\n')}`);
  }
  return sources.sections.flatMap((section) => {
    const own: DocumentedSection = {
      title: section.title,
      intro: section.intro ? [section.intro] : [],
      settings: service.filter((setting) => setting.section === section.id),
    };
    return section.id === sources.strategiesAfter
      ? [own, ...strategies]
      : [own];
  });
}

function strategySection(
  strategy: DocumentedStrategy,
  problems: string[],
): DocumentedSection {
  const schema = strategy.settings;
  const section = {
    title: `Strategy: ${strategy.name}`,
    strategy: { name: strategy.name, description: strategy.description },
  };
  if (!(schema instanceof z.ZodObject)) {
    return { ...section, intro: [], settings: [] };
  }
  const note = settingDocOf(schema)?.description;
  return {
    ...section,
    intro: note ? [note] : [],
    settings: settingsOf(schema, problems),
  };
}

function settingsOf(
  schema: z.ZodObject<z.core.$ZodShape>,
  problems: string[],
): (DocumentedSetting & { section?: string })[] {
  return Object.entries(schema.shape).flatMap(([name, setting]) => {
    const doc = settingDocOf(setting);
    if (!doc) {
      problems.push(`${name}: no description (documented(schema, {...}))`);
      return [];
    }
    const parsed = z.safeParse(setting, undefined);
    const value = parsed.success ? valueText(parsed.data) : undefined;
    return [
      {
        name,
        section: doc.section,
        description: doc.description,
        default:
          doc.default ?? (parsed.success ? (value ?? 'none') : 'required'),
        defaultIsValue: doc.default === undefined && value !== undefined,
        values: doc.values,
        secret: doc.secret === true,
        example: doc.example ?? value ?? '',
        local: doc.local === true,
      },
    ];
  });
}

/** A parsed default as it is written in the environment, or undefined when there is none. */
function valueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value))
    return value.length > 0 ? value.join(',') : undefined;
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}
