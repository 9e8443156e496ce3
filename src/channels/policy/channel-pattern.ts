import {
  CHANNEL_NAME_CHARACTERS,
  CHANNEL_NAME_MAX_LENGTH,
} from '../channel-name';

/**
 * A channel pattern from the policy file or a stored grant: channel-name characters, `*` (any
 * run of characters, possibly none), `{id}` (exactly the caller's user id), `{group}` (one of
 * the groups the caller belongs to in the directory) and, in rules that ask a relation, named
 * captures such as `{doc}` (a non-empty run, handed to the relation by name).
 */
export type PatternSegment =
  | { kind: 'literal'; text: string }
  | { kind: 'star' }
  | { kind: 'id' }
  | { kind: 'group' }
  | { kind: 'capture'; name: string };

export interface ChannelPattern {
  /** The pattern as written, for logs. */
  text: string;
  segments: readonly PatternSegment[];
  /** True when matching needs the caller's groups from the directory. */
  usesGroups: boolean;
  /** The named captures, in order (empty for most patterns). */
  captures: readonly string[];
}

/** Who the placeholders stand for while one request is matched. */
export interface PatternBindings {
  id: string;
  groups: readonly string[];
}

/** A pattern must announce the channel kind, so a typo cannot silently widen it to `*`. */
const PATTERN_PREFIXES = ['private-', 'presence-'];
const PLACEHOLDER = /\{([^{}]*)\}|\*/g;
/** A capture's name: also the relation's parameter (`:doc` in SQL, `captures.doc` over HTTP). */
export const CAPTURE_NAME = /^[a-z][a-z0-9_]{0,31}$/;
/**
 * Placeholders (`*` and `{…}` alike) one pattern may hold. Matching stays linear whatever the
 * count; the bound keeps every pattern one a person can read and its cost a small constant.
 */
export const MAX_PLACEHOLDERS = 8;

/**
 * Parses a pattern, or answers why it is not one (the message quotes nothing but placeholders).
 * Named captures are accepted only with `captures: true` (rules that ask a relation): anywhere
 * else a typo such as `{grop}` would silently widen a pattern.
 */
export function parseChannelPattern(
  text: unknown,
  options: { captures?: boolean } = {},
): ChannelPattern | { problem: string } {
  if (typeof text !== 'string' || text.length === 0) {
    return { problem: 'must be a non-empty string' };
  }
  if (text.length > CHANNEL_NAME_MAX_LENGTH) {
    return {
      problem: `must be at most ${CHANNEL_NAME_MAX_LENGTH} characters`,
    };
  }
  if (!PATTERN_PREFIXES.some((prefix) => text.startsWith(prefix))) {
    return {
      problem:
        'must start with private-, private-encrypted- or presence- (the channels this service authorizes)',
    };
  }
  const segments: PatternSegment[] = [];
  let last = 0;
  let placeholders = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (++placeholders > MAX_PLACEHOLDERS) {
      return {
        problem: `may hold at most ${MAX_PLACEHOLDERS} placeholders (*, {id}, {group})`,
      };
    }
    const literal = text.slice(last, match.index);
    if (literal) segments.push({ kind: 'literal', text: literal });
    last = match.index + match[0].length;
    if (match[0] === '*') segments.push({ kind: 'star' });
    else if (match[1] === 'id') segments.push({ kind: 'id' });
    else if (match[1] === 'group') segments.push({ kind: 'group' });
    else if (options.captures && CAPTURE_NAME.test(match[1])) {
      if (segments.some((s) => s.kind === 'capture' && s.name === match[1])) {
        return { problem: `captures {${match[1]}} twice` };
      }
      segments.push({ kind: 'capture', name: match[1] });
    } else {
      return {
        problem: options.captures
          ? `unknown placeholder {${match[1].slice(0, 32)}} (use {id}, {group}, * or a capture named a-z 0-9 _)`
          : `unknown placeholder {${match[1].slice(0, 32)}} (use {id}, {group} or *; named captures like {doc} only in rules that ask a relation)`,
      };
    }
  }
  const tail = text.slice(last);
  if (tail) segments.push({ kind: 'literal', text: tail });
  const badLiteral = segments.some(
    (segment) =>
      segment.kind === 'literal' && !CHANNEL_NAME_CHARACTERS.test(segment.text),
  );
  if (badLiteral) {
    return {
      problem:
        'may only contain A-Z a-z 0-9 _ - = @ , . ; and the placeholders *, {id}, {group}',
    };
  }
  return {
    text,
    segments,
    usesGroups: segments.some((segment) => segment.kind === 'group'),
    captures: segments.flatMap((segment) =>
      segment.kind === 'capture' ? [segment.name] : [],
    ),
  };
}

export function isChannelPattern(
  parsed: ChannelPattern | { problem: string },
): parsed is ChannelPattern {
  return 'segments' in parsed;
}

/**
 * Whether `name` matches: one pass over the segments from the last to the first, keeping the
 * positions of `name` from which the rest of the pattern matches. Each segment costs at most
 * name length × its own length (a `{group}`: × the distinct lengths of the caller's groups), so
 * the whole match is bounded by pattern length × name length, whatever the pattern.
 */
export function matchesChannel(
  pattern: ChannelPattern,
  name: string,
  bindings: PatternBindings,
): boolean {
  const { segments } = pattern;
  const first = segments[0];
  // Most patterns fail on their literal prefix: no table is needed to say so.
  if (first?.kind === 'literal' && !name.startsWith(first.text)) return false;
  /** `rest[p]`: the segments after the current one match `name` from position p to its end. */
  let rest = new Uint8Array(name.length + 1);
  let next = new Uint8Array(name.length + 1);
  rest[name.length] = 1;
  for (let index = segments.length - 1; index >= 0; index--) {
    next.fill(0);
    if (!matchBefore(segments[index], name, rest, next, bindings)) return false;
    [rest, next] = [next, rest];
  }
  return rest[0] === 1;
}

/**
 * The named captures of a match, or undefined when `name` does not match. Where a run could end
 * in several places, `*` takes the longest and a capture the shortest that lets the rest match:
 * `private-order-{order}-*` captures `12` from `private-order-12-x-y`. Same cost as matching.
 */
export function captureChannel(
  pattern: ChannelPattern,
  name: string,
  bindings: PatternBindings,
): Record<string, string> | undefined {
  const { segments } = pattern;
  /** `tables[i][p]`: segments i… match `name` from position p to its end. */
  const tables: Uint8Array[] = new Array<Uint8Array>(segments.length + 1);
  tables[segments.length] = new Uint8Array(name.length + 1);
  tables[segments.length][name.length] = 1;
  for (let index = segments.length - 1; index >= 0; index--) {
    tables[index] = new Uint8Array(name.length + 1);
    const found = matchBefore(
      segments[index],
      name,
      tables[index + 1],
      tables[index],
      bindings,
    );
    if (!found) return undefined;
  }
  if (tables[0][0] !== 1) return undefined;
  const captures: Record<string, string> = Object.create(null) as Record<
    string,
    string
  >;
  let position = 0;
  segments.forEach((segment, index) => {
    const next = tables[index + 1];
    const end = endOf(segment, name, position, next, bindings);
    if (segment.kind === 'capture') {
      captures[segment.name] = name.slice(position, end);
    }
    position = end;
  });
  return captures;
}

/** Where `segment`, starting at `position`, ends on the way to a full match (one always exists). */
function endOf(
  segment: PatternSegment,
  name: string,
  position: number,
  next: Uint8Array,
  bindings: PatternBindings,
): number {
  switch (segment.kind) {
    case 'literal':
      return position + segment.text.length;
    case 'id':
      return position + bindings.id.length;
    case 'star':
      return next.lastIndexOf(1);
    case 'capture':
      return next.indexOf(1, position + 1);
    case 'group': {
      const groups = groupIndex(bindings.groups);
      for (const length of groups.lengths) {
        const end = position + length;
        if (next[end] && groups.ids.has(name.slice(position, end))) return end;
      }
      throw new Error('no group ends the match here');
    }
    default: {
      const unknown: never = segment;
      throw new Error(`unknown pattern segment ${String(unknown)}`);
    }
  }
}

/**
 * Marks in `before` the positions from which `segment`, then what `after` allows, matches to the
 * end; answers whether it marked any (none: the pattern cannot match).
 */
function matchBefore(
  segment: PatternSegment,
  name: string,
  after: Uint8Array,
  before: Uint8Array,
  bindings: PatternBindings,
): boolean {
  switch (segment.kind) {
    case 'literal':
      return markLiteral(segment.text, name, after, before);
    case 'id':
      return markLiteral(bindings.id, name, after, before);
    case 'group': {
      const groups = groupIndex(bindings.groups);
      let marked = false;
      for (let end = 0; end < after.length; end++) {
        if (!after[end]) continue;
        for (const length of groups.lengths) {
          const start = end - length;
          if (start >= 0 && groups.ids.has(name.slice(start, end))) {
            before[start] = 1;
            marked = true;
          }
        }
      }
      return marked;
    }
    case 'star': {
      // `*` may match any run: every position up to the last one the rest matches from.
      const last = after.lastIndexOf(1);
      before.fill(1, 0, last + 1);
      return last >= 0;
    }
    case 'capture': {
      // A non-empty run: every position before the last one the rest matches from.
      const last = after.lastIndexOf(1);
      if (last > 0) before.fill(1, 0, last);
      return last > 0;
    }
    default: {
      const unknown: never = segment;
      throw new Error(`unknown pattern segment ${String(unknown)}`);
    }
  }
}

function markLiteral(
  text: string,
  name: string,
  after: Uint8Array,
  before: Uint8Array,
): boolean {
  let marked = false;
  for (let end = text.length; end < after.length; end++) {
    if (after[end] && name.startsWith(text, end - text.length)) {
      before[end - text.length] = 1;
      marked = true;
    }
  }
  return marked;
}

interface GroupIndex {
  ids: ReadonlySet<string>;
  /** Each distinct length once: a position is tried once per length, not once per group. */
  lengths: readonly number[];
}

/** Built once per caller's group list (the channel access cache holds the list). */
const groupIndexes = new WeakMap<readonly string[], GroupIndex>();

function groupIndex(groups: readonly string[]): GroupIndex {
  let index = groupIndexes.get(groups);
  if (!index) {
    const ids = new Set(groups.filter((group) => group.length > 0));
    const lengths = [...new Set([...ids].map((id) => id.length))];
    index = { ids, lengths: lengths.sort((a, b) => a - b) };
    groupIndexes.set(groups, index);
  }
  return index;
}
