import { parseChangePayload } from './directory-change';

describe('parseChangePayload', () => {
  it.each([
    ['{"op":"change","id":"alice"}', { kind: 'changed', id: 'alice' }],
    ['{"op" : "delete", "id" : "bob"}', { kind: 'removed', id: 'bob' }],
    ['{"op":"reset"}', { kind: 'reset' }],
    ['{"op":"access","id":"carol"}', { kind: 'access-changed', id: 'carol' }],
    ['{"op":"access-reset"}', { kind: 'access-reset' }],
    // Whatever else a revocation notice says is not read: the log is.
    ['{"op":"revoke","id":"alice","pattern":"private-x"}', { kind: 'revoked' }],
  ])('reads %s', (payload, change) => {
    expect(parseChangePayload(payload)).toEqual(change);
  });

  it.each([
    'alice',
    '{"op":"change"}',
    '{"op":"change","id":""}',
    '{"op":"drop","id":"x"}',
    '{"op":"access"}',
    'null',
  ])('finds nothing in %s', (payload) => {
    expect(parseChangePayload(payload)).toBeNull();
  });
});
