import type Database from 'better-sqlite3';
import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { LoadingCache } from '../../cache/loading-cache';
import { ConfigError } from '../../config/config-error';
import type { ChannelsConfig } from '../../config/channels.config';
import type { DirectoryChangeFeed } from '../../directory/changes/directory-change-feed';
import { IdentityProviderUnavailable } from '../../plugin/identity-provider-unavailable';
import type { ChannelChecks } from '../channel-checks';
import type { ChannelRule } from '../policy/channel-rule';
import { askHttpRelation } from './http-relation';
import type { RelationAnswer } from './relation-answer';
import { userInfoIn } from './relation-answer';
import {
  openRelationDatabase,
  RelationDatabase,
  RelationQueryError,
} from './relation-database';
import { describeRelation, RelationSpec } from './relation-spec';

/** Bounded like the user cache: a flood of distinct channels cannot grow memory without limit. */
export const MAX_CACHED_RELATION_ANSWERS = 50_000;

/** The request a relation is asked about. */
export interface RelationQuestion {
  user: string;
  app: string;
  channel: string;
  captures: Readonly<Record<string, string>>;
}

/**
 * Asks the policy's relations (`sql`, `http`, a plugin's `check`) and keeps their answers for
 * `CHANNEL_RELATION_CACHE_TTL_MS`, keyed by the rule and the values it is asked with: the channels
 * of one batch that ask the same relation the same thing share one answer. Any change the directory
 * announces for grants or memberships, a reset, or a `{"op":"relations"}` notice drops them all.
 */
export class Relations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Relations');
  private readonly answers: LoadingCache<RelationAnswer>;

  constructor(
    private readonly database: RelationDatabase | undefined,
    private readonly checks: ChannelChecks,
    channels: ChannelsConfig,
    changes: DirectoryChangeFeed,
    private readonly userInfoMaxBytes: number,
    private readonly sqlRules: readonly ChannelRule[] = [],
  ) {
    this.answers = new LoadingCache({
      max: MAX_CACHED_RELATION_ANSWERS,
      ttlMs: channels.relationCacheTtlMs,
    });
    changes.subscribe((change) => {
      if (change.kind !== 'changed' && change.kind !== 'removed') {
        this.answers.invalidateAll();
      }
    });
  }

  /** Opens where `sql` relations run, when any rule has one. */
  static open(
    rules: readonly ChannelRule[],
    channels: ChannelsConfig,
    directoryUrl: string,
    checks: ChannelChecks,
    changes: DirectoryChangeFeed,
    userInfoMaxBytes: number,
    directorySqlite?: Database.Database,
  ): Relations {
    const sqlRules = rules.filter(
      (rule) => 'relation' in rule.allow && rule.allow.relation.kind === 'sql',
    );
    const database =
      sqlRules.length > 0
        ? openRelationDatabase(
            channels.dataUrl ?? directoryUrl,
            channels.relationTimeoutMs,
            channels.dataUrl ? undefined : directorySqlite,
          )
        : undefined;
    return new Relations(
      database,
      checks,
      channels,
      changes,
      userInfoMaxBytes,
      sqlRules,
    );
  }

  /**
   * Checks each `sql` relation as custom directory queries are checked: a query the database
   * refuses stops start-up, naming its rule. Runs after the directory module's own start (its
   * migrations, and demo mode's table), which Nest initialises first.
   */
  async onModuleInit(): Promise<void> {
    if (!this.database) return;
    const problems: string[] = [];
    for (const rule of this.sqlRules) {
      const relation = (rule.allow as { relation: RelationSpec }).relation;
      if (relation.kind !== 'sql') continue;
      try {
        await this.database.check(relation.query, relation.parameters);
      } catch (error) {
        if (!(error instanceof RelationQueryError)) throw error;
        problems.push(`${rule.source}.allow.sql: ${error.message}`);
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database?.close();
  }

  /**
   * `asked`: the answers of the request so far (one map per decider), so the channels of one batch
   * ask each distinct relation once even when nothing is cached.
   * @throws IdentityProviderUnavailable when the relation cannot answer (503 for the channel)
   */
  ask(
    rule: ChannelRule,
    question: RelationQuestion,
    asked: Map<string, Promise<RelationAnswer>> = new Map(),
  ): Promise<RelationAnswer> {
    const relation = (rule.allow as { relation: RelationSpec }).relation;
    const values =
      relation.kind === 'sql'
        ? relation.parameters.map((name) => valueOf(question, name))
        : question;
    const key = `${rule.source}\u0000${JSON.stringify(values)}`;
    let answer = asked.get(key);
    if (!answer) {
      answer = this.answers.get(key, () =>
        this.askNow(rule, relation, question),
      );
      asked.set(key, answer);
    }
    return answer;
  }

  private async askNow(
    rule: ChannelRule,
    relation: RelationSpec,
    question: RelationQuestion,
  ): Promise<RelationAnswer> {
    switch (relation.kind) {
      case 'sql':
        return this.askDatabase(rule, relation, question);
      case 'http':
        return askHttpRelation(relation.url, relation.timeoutMs, question);
      case 'check':
        return this.checks.ask(
          relation.name,
          { id: question.user, app: question.app },
          question.channel,
          question.captures,
        );
      default: {
        const unknown: never = relation;
        throw new Error(`unknown relation ${String(unknown)}`);
      }
    }
  }

  private async askDatabase(
    rule: ChannelRule,
    relation: Extract<RelationSpec, { kind: 'sql' }>,
    question: RelationQuestion,
  ): Promise<RelationAnswer> {
    const values: Record<string, string> = {};
    for (const name of relation.parameters)
      values[name] = valueOf(question, name);
    let rows;
    try {
      rows = await this.database!.rows(
        relation.query,
        relation.parameters,
        values,
      );
    } catch (error) {
      this.logger.warn(
        `${rule.source}: ${describeRelation(relation)} failed: ${(error as Error).message}`,
      );
      throw new IdentityProviderUnavailable(
        `${rule.source}: the relation's database failed`,
      );
    }
    if (rows.length === 0) return { allowed: false };
    const userInfo = this.presenceInfo(rule, rows[0].user_info);
    return userInfo ? { allowed: true, userInfo } : { allowed: true };
  }

  /** A returned `user_info` must be a JSON object within USER_INFO_MAX_BYTES; else it is ignored. */
  private presenceInfo(rule: ChannelRule, value: unknown) {
    if (value === undefined || value === null) return undefined;
    const info = userInfoIn(value);
    const size = info ? Buffer.byteLength(JSON.stringify(info)) : 0;
    if (!info || size > this.userInfoMaxBytes) {
      this.logger.warn(
        `${rule.source}: the relation's user_info is ${info ? `${size} bytes (USER_INFO_MAX_BYTES is ${this.userInfoMaxBytes})` : 'not a JSON object'}; the directory's is used`,
      );
      return undefined;
    }
    return info;
  }
}

function valueOf(question: RelationQuestion, name: string): string {
  if (name === 'user') return question.user;
  if (name === 'app') return question.app;
  if (name === 'channel') return question.channel;
  return question.captures[name];
}
