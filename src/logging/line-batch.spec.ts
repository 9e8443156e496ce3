import { LineBatch } from './line-batch';

function sink() {
  const written: string[] = [];
  let syncFlushes = 0;
  return {
    written,
    syncFlushes: () => syncFlushes,
    write: (text: string) => void written.push(text),
    flushSync: () => void syncFlushes++,
  };
}

describe('a batch of log lines', () => {
  it('holds lines until the batch is full, then hands them over as one string, in order', () => {
    const target = sink();
    const batch = new LineBatch(target, 10);
    batch.write('a\n');
    batch.write('bb\n');
    expect(target.written).toEqual([]);
    batch.write('cccccc\n');
    expect(target.written).toEqual(['a\nbb\ncccccc\n']);
    batch.write('d\n');
    expect(target.written).toHaveLength(1);
  });

  it('hands over what is pending on flush, and nothing when nothing is', () => {
    const target = sink();
    const batch = new LineBatch(target, 1000);
    batch.flush();
    expect(target.written).toEqual([]);
    batch.write('one\n');
    batch.write('two\n');
    batch.flush();
    batch.flush();
    expect(target.written).toEqual(['one\ntwo\n']);
  });

  it('writes everything pending synchronously for the exit', () => {
    const target = sink();
    const batch = new LineBatch(target, 1000);
    batch.write('last words\n');
    batch.flushSync();
    expect(target.written).toEqual(['last words\n']);
    expect(target.syncFlushes()).toBe(1);
  });

  it('keeps every line while held, full batch or flush, and hands them over in order on release', () => {
    const target = sink();
    const batch = new LineBatch(target, 4);
    batch.hold();
    batch.write('first\n');
    batch.write('second\n');
    batch.flush();
    expect(target.written).toEqual([]);
    batch.release();
    expect(target.written).toEqual(['first\nsecond\n']);
    batch.write('third\n');
    expect(target.written).toEqual(['first\nsecond\n', 'third\n']);
  });

  it('writes held lines at the exit too: a start that fails loses none', () => {
    const target = sink();
    const batch = new LineBatch(target, 1000);
    batch.hold();
    batch.write('why it failed\n');
    batch.flushSync();
    expect(target.written).toEqual(['why it failed\n']);
  });
});
