import {
  CHANNEL_NAME_CHARACTERS,
  CHANNEL_NAME_MAX_LENGTH,
} from '../channel-name';

/**
 * A channel pattern from the policy file or a stored grant: channel-name characters, `*` (any
 * run of characters, possibly none), `{id}` (exactly the caller's user id) and `{group}` (one of
 * the groups the caller belongs to in the directory).
 */
export type PatternSegment =
  | { kind: 'literal'; text: string }
  | { kind: 'star' }
  | { kind: 'id' }
  | { kind: 'group' };

export interface ChannelPattern {
  /** The pattern as written, for logs. */
  text: string;
  segments: readonly PatternSegment[];
  /** True when matching needs the caller's groups from the directory. */
  usesGroups: boolean;
}

/** Who the placeholders stand for while one request is matched. */
export interface PatternBindings {
  id: string;
  groups: readonly string[];
}

/** A pattern must announce the channel kind, so a typo cannot silently widen it to `*`. */
const PATTERN_PREFIXES = ['private-', 'presence-'];
const PLACEHOLDER = /\{([^{}]*)\}|\*/g;

/** Parses a pattern, or answers why it is not one (the message quotes nothing but placeholders). */
export function parseChannelPattern(
  text: unknown,
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
  for (const match of text.matchAll(PLACEHOLDER)) {
    const literal = text.slice(last, match.index);
    if (literal) segments.push({ kind: 'literal', text: literal });
    last = match.index + match[0].length;
    if (match[0] === '*') segments.push({ kind: 'star' });
    else if (match[1] === 'id') segments.push({ kind: 'id' });
    else if (match[1] === 'group') segments.push({ kind: 'group' });
    else {
      return {
        problem: `unknown placeholder {${match[1].slice(0, 32)}} (use {id}, {group} or *)`,
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
  };
}

export function isChannelPattern(
  parsed: ChannelPattern | { problem: string },
): parsed is ChannelPattern {
  return 'segments' in parsed;
}

/**
 * Whether `name` matches. Memoised over (segment, position), so the work is bounded by
 * segments × name length × groups whatever the pattern: no backtracking blow-up.
 */
export function matchesChannel(
  pattern: ChannelPattern,
  name: string,
  bindings: PatternBindings,
): boolean {
  const { segments } = pattern;
  const seen = new Set<number>();
  const width = name.length + 1;
  const from = (index: number, position: number): boolean => {
    if (index === segments.length) return position === name.length;
    const key = index * width + position;
    if (seen.has(key)) return false;
    seen.add(key);
    const segment = segments[index];
    switch (segment.kind) {
      case 'literal':
        return (
          name.startsWith(segment.text, position) &&
          from(index + 1, position + segment.text.length)
        );
      case 'id':
        return (
          name.startsWith(bindings.id, position) &&
          from(index + 1, position + bindings.id.length)
        );
      case 'group':
        return bindings.groups.some(
          (group) =>
            group.length > 0 &&
            name.startsWith(group, position) &&
            from(index + 1, position + group.length),
        );
      case 'star':
        for (let end = position; end <= name.length; end++) {
          if (from(index + 1, end)) return true;
        }
        return false;
      default: {
        const unknown: never = segment;
        throw new Error(`unknown pattern segment ${String(unknown)}`);
      }
    }
  };
  return from(0, 0);
}
