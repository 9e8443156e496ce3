import { sqlParameters, toPositional } from './relation-spec';

describe('relation queries', () => {
  it('finds :name parameters outside strings, identifiers, comments and casts', () => {
    const query = `SELECT ':skip', "a:b", x::text /* :no */ FROM t -- :nope
      WHERE doc = :doc AND user_id = :user AND again = :doc`;
    expect(sqlParameters(query)).toEqual(['doc', 'user']);
    expect(toPositional(query, ['doc', 'user'])).toBe(
      `SELECT ':skip', "a:b", x::text /* :no */ FROM t -- :nope
      WHERE doc = $1 AND user_id = $2 AND again = $1`,
    );
  });
});
