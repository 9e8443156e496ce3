import type { SettingsFile, SettingsFiles } from './settings-files';

/**
 * What makes the committed files differ from the generated ones, one line per file, naming the
 * settings one lists and the other does not; empty when they are up to date.
 */
export function staleSettingsFiles(
  generated: SettingsFiles,
  committed: Readonly<Record<SettingsFile, string | undefined>>,
): string[] {
  return (Object.keys(generated) as SettingsFile[]).flatMap((file) => {
    const expected = generated[file];
    const actual = committed[file];
    if (actual === expected) return [];
    const fix = `${file} is out of date (run npm run settings)`;
    if (actual === undefined) return [`${fix}: it is missing`];
    const listed = settingsListedIn(actual);
    const wanted = settingsListedIn(expected);
    const missing = [...wanted].filter((name) => !listed.has(name));
    const gone = [...listed].filter((name) => !wanted.has(name));
    const reasons = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(gone.length > 0 ? [`no longer settings: ${gone.join(', ')}`] : []),
    ];
    if (reasons.length === 0) reasons.push(firstDifference(expected, actual));
    return [`${fix}: ${reasons.join('; ')}`];
  });
}

/** The names in `NAME=value` lines (.env.example) and in the first cell of a table row (the page). */
function settingsListedIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(
    /^(?:# )?([A-Z][A-Z0-9_]*)=|^\| `([A-Z][A-Z0-9_]*)` \|/gm,
  )) {
    names.add(match[1] ?? match[2]);
  }
  return names;
}

function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  const line = want.findIndex((text, index) => text !== have[index]);
  const at = line === -1 ? want.length : line;
  return `line ${at + 1} should read ${JSON.stringify(want[at] ?? '')}`;
}
