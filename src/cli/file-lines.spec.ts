import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines, LineTooLongError } from './file-lines';

describe('fileLines', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'file-lines-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (content: string | Buffer, maxBytes = 1024) => {
    const path = join(dir, 'f');
    writeFileSync(path, content);
    const lines: [number, string][] = [];
    for await (const { number, bytes } of fileLines(path, maxBytes)) {
      lines.push([number, bytes.toString('latin1')]);
    }
    return lines;
  };

  it('numbers every line, empty ones included, without its line break', async () => {
    expect(await read('a\n\r\nb\r\nc')).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
      [4, 'c'],
    ]);
    expect(await read('a\n')).toEqual([[1, 'a']]);
    expect(await read('')).toEqual([]);
  });

  it('keeps the bytes as they are, for the caller to decode', async () => {
    expect(await read(Buffer.from([0xff, 0x0a, 0xc3]))).toEqual([
      [1, '\xff'],
      [2, '\xc3'],
    ]);
  });

  it('joins a line that spans read chunks', async () => {
    const long = 'x'.repeat(200_000);
    expect(await read(`${long}\nend`, 300_000)).toEqual([
      [1, long],
      [2, 'end'],
    ]);
  });

  it('stops at the first line over the bound, naming it, with or without a line break', async () => {
    await expect(read(`ok\n${'y'.repeat(1025)}\nok`)).rejects.toEqual(
      new LineTooLongError(2, 1024),
    );
    await expect(read('z'.repeat(200_000))).rejects.toMatchObject({
      line: 1,
      maxBytes: 1024,
    });
    expect(await read('w'.repeat(1024))).toHaveLength(1);
  });
});
