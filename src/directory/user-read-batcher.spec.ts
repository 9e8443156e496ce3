import type { DirectoryUser } from './directory-user';
import { InvalidUserRecordError } from './directory.errors';
import { UserDirectory } from './user-directory';
import { UserReadBatcher } from './user-read-batcher';

/** A directory of users `a` and `b`, `broken` whose record breaks a rule, each read counted. */
class CountingDirectory extends UserDirectory {
  readonly reads: string[][] = [];

  findUser(id: string): Promise<DirectoryUser | null> {
    if (id === 'broken') {
      return Promise.reject(new InvalidUserRecordError(id, 'a rule'));
    }
    return Promise.resolve(
      ['a', 'b'].includes(id) ? { id, userInfo: null, watchlist: [] } : null,
    );
  }

  override findUsers(ids: readonly string[]) {
    this.reads.push([...ids]);
    return super.findUsers(ids);
  }

  findChannelAccess() {
    return Promise.resolve({ groups: [], grants: [] });
  }
  migrate() {
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

describe('UserReadBatcher', () => {
  it('reads the ids asked for in one turn together, and those of the next turn apart', async () => {
    const directory = new CountingDirectory();
    const batcher = new UserReadBatcher(directory);
    await Promise.all([
      batcher.read('a'),
      batcher.read('b'),
      batcher.read('a'),
    ]);
    await batcher.read('c');
    expect(directory.reads).toEqual([['a', 'b'], ['c']]);
  });

  it('sends a read as soon as the bound is reached', async () => {
    const directory = new CountingDirectory();
    const batcher = new UserReadBatcher(directory, 2);
    await Promise.all(['a', 'b', 'c'].map((id) => batcher.read(id)));
    expect(directory.reads).toEqual([['a', 'b'], ['c']]);
  });

  it("fails only the id whose own answer is an error (a backend's per-id reads)", async () => {
    const batcher = new UserReadBatcher(new CountingDirectory());
    const [a, broken, unknown] = await Promise.allSettled(
      ['a', 'broken', 'nobody'].map((id) => batcher.read(id)),
    );
    expect(a).toEqual({
      status: 'fulfilled',
      value: { id: 'a', userInfo: null, watchlist: [] },
    });
    expect(broken.status).toBe('rejected');
    expect((broken as PromiseRejectedResult).reason).toBeInstanceOf(
      InvalidUserRecordError,
    );
    expect(unknown).toEqual({ status: 'fulfilled', value: null });
  });
});
