import { spawnSync } from 'node:child_process';

/**
 * better-sqlite3 is a native addon compiled against the headers of the Node that installs it.
 * Node 24.19.0 to 24.21.x changed `node::ObjectWrap` in those headers (nodejs/node#65446): a
 * better-sqlite3 12 statement that V8 garbage-collects outside a JavaScript context then aborts the
 * whole process (`Assertion failed: (env) != nullptr`), which is why `engines` leaves them out;
 * the image's 24.22.3 passes.
 * This runs, on the Node running the tests, enough prepared statements and garbage for V8 to collect
 * them from its own background GC tasks (with the affected headers it aborts every time here).
 */
const STATEMENT_GARBAGE = `
const db = new (require('better-sqlite3'))(':memory:');
let garbage = [];
for (let i = 0; i < 300000; i++) {
  db.prepare('select ' + (i % 50));
  if (i % 1000 === 0) garbage.push(new Array(1000).fill(i));
}
garbage = null;
setTimeout(() => process.stdout.write('collected'), 500);
`;

describe('the better-sqlite3 native addon on this Node', () => {
  it('lets V8 garbage-collect prepared statements without aborting the process', () => {
    const child = spawnSync(process.execPath, ['-e', STATEMENT_GARBAGE], {
      cwd: __dirname,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).not.toContain('Assertion failed');
    expect({ signal: child.signal, status: child.status }).toEqual({
      signal: null,
      status: 0,
    });
    expect(child.stdout).toBe('collected');
  });
});
