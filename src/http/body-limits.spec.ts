import { CHANNEL_BATCH_MAX } from '../pusher/dto/channel-auth-request';
import {
  formBodyProblem,
  jsonBodyProblem,
  MAX_FIELDS,
  MAX_JSON_DEPTH,
  MAX_JSON_VALUES,
  queryProblem,
} from './body-limits';

const nested = (depth: number) =>
  `{"socket_id":"1.2","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
const jsonWith = (members: number) =>
  JSON.stringify(
    Object.fromEntries(
      Array.from({ length: members }, (_, i) => [`k${i}`, [i, { v: 'a,b' }]]),
    ),
  );
const formWith = (fields: number) =>
  Array.from({ length: fields }, (_, i) => `k${i}=v`).join('&');

describe('body limits', () => {
  it('leave room for a full channel batch with socket_id and params', () => {
    expect(MAX_FIELDS).toBeGreaterThanOrEqual(CHANNEL_BATCH_MAX + 8);
  });

  describe('jsonBodyProblem', () => {
    it(`accepts nesting up to ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
      expect(jsonBodyProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
      expect(jsonBodyProblem(nested(MAX_JSON_DEPTH + 1))).toBe(
        `body must not nest deeper than ${MAX_JSON_DEPTH} levels`,
      );
      expect(jsonBodyProblem('['.repeat(100_000))).toMatch(/nest deeper/);
    });

    it('ignores brackets, braces, commas and escaped quotes inside strings', () => {
      const text = JSON.stringify({
        socket_id: '1.2',
        tricky: `${'[{'.repeat(50)}\\",${','.repeat(500)}`,
      });
      expect(jsonBodyProblem(text)).toBeUndefined();
    });

    it(`counts top-level members only, up to ${MAX_FIELDS}`, () => {
      expect(jsonBodyProblem(jsonWith(MAX_FIELDS))).toBeUndefined();
      expect(jsonBodyProblem(jsonWith(MAX_FIELDS + 1))).toBe(
        `body must have at most ${MAX_FIELDS} fields`,
      );
      const array = JSON.stringify(Array.from({ length: 500 }, () => 0));
      expect(jsonBodyProblem(array)).toMatch(/at most/);
      // Five hundred values one level down are one field.
      expect(jsonBodyProblem(`{"x":${array}}`)).toBeUndefined();
    });

    it(`counts members and elements at every depth, up to ${MAX_JSON_VALUES}`, () => {
      // socket_id and x are 2 values, each [0] holds one more: 2 + 2n.
      const holding = (values: number) =>
        `{"socket_id":"1.2","x":[${Array((values - 2) / 2)
          .fill('[0]')
          .join(', ')}]}`;
      expect(jsonBodyProblem(holding(MAX_JSON_VALUES))).toBeUndefined();
      expect(jsonBodyProblem(holding(MAX_JSON_VALUES + 2))).toBe(
        `body must hold at most ${MAX_JSON_VALUES} values`,
      );
      expect(
        jsonBodyProblem(`[${Array(MAX_JSON_VALUES).fill('{}').join()}]`),
      ).toMatch(/at most/);
      // Empty containers hold nothing.
      expect(
        jsonBodyProblem(`{"x":[${Array(100).fill('[ ]').join()}]}`),
      ).toBeUndefined();
    });

    it('leaves empty and malformed bodies to the JSON parser', () => {
      for (const text of ['', '{}', '[]', '{"a":', ']]]]', '"text"', '42']) {
        expect(jsonBodyProblem(text)).toBeUndefined();
      }
    });
  });

  describe('formBodyProblem', () => {
    it(`accepts ${MAX_FIELDS} fields and refuses one more`, () => {
      expect(formBodyProblem(formWith(MAX_FIELDS))).toBeUndefined();
      expect(formBodyProblem(formWith(MAX_FIELDS + 1))).toBe(
        `body must have at most ${MAX_FIELDS} fields`,
      );
    });

    it('does not count empty parts between separators', () => {
      expect(
        formBodyProblem(`${formWith(MAX_FIELDS)}${'&'.repeat(1000)}`),
      ).toBeUndefined();
    });
  });

  describe('queryProblem', () => {
    it('counts the parameters after the ?, not the path', () => {
      expect(queryProblem('/pusher/auth')).toBeUndefined();
      expect(queryProblem(`/a&b&c?${formWith(MAX_FIELDS)}`)).toBeUndefined();
      expect(queryProblem(`/x?${formWith(MAX_FIELDS + 1)}`)).toBe(
        `query must have at most ${MAX_FIELDS} parameters`,
      );
    });
  });
});
