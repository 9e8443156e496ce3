import {
  coloursWanted,
  prettyLine,
  prettyLines,
  PrettyLines,
} from './pretty-lines';

const PLAIN = { colours: false };
const TIME = '2026-03-04T05:06:07.089Z';
/** The clock time the formatter shows for TIME, in this process's time zone. */
const CLOCK = (() => {
  const date = new Date(TIME);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.089`;
})();
const BASE = { service: 'pusher-auth', pid: 42, hostname: 'box' };

/** A line as the root logger writes it. */
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 'info', time: TIME, ...BASE, ...fields });

/** A request line as request-log-line.ts writes it. */
const requestLine = (fields: Record<string, unknown> = {}) =>
  line({
    requestId: 'req-1',
    method: 'POST',
    endpoint: '/pusher/user-auth',
    url: '/pusher/user-auth',
    statusCode: 200,
    outcome: 'signed',
    app: 'default',
    userId: 'alice',
    strategy: 'jwt',
    durationMs: 3.1,
    clientIp: '127.0.0.1',
    userAgent: 'curl/8.5.0',
    msg: 'request completed',
    ...fields,
  });

// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const RAW_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/;

describe('log lines for people', () => {
  it('prints time, level, context and message, then the other fields, without the base fields', () => {
    expect(
      prettyLine(
        line({ context: 'Bootstrap', msg: 'listening on 0.0.0.0:3000' }),
        PLAIN,
      ),
    ).toBe(`${CLOCK} INFO  [Bootstrap] listening on 0.0.0.0:3000`);
    expect(
      prettyLine(
        line({
          level: 'warn',
          context: 'Connections',
          msg: 'connections dropped',
          dropped: 3,
          note: 'two words',
        }),
        PLAIN,
      ),
    ).toBe(
      `${CLOCK} WARN  [Connections] connections dropped  dropped=3 note="two words"`,
    );
  });

  it('lays a request line out as METHOD path status duration, then its useful fields', () => {
    expect(prettyLine(requestLine(), PLAIN)).toBe(
      `${CLOCK} INFO  POST /pusher/user-auth 200 3.1 ms  outcome=signed app=default userId=alice strategy=jwt clientIp=127.0.0.1 userAgent=curl/8.5.0 requestId=req-1`,
    );
    const refused = prettyLine(
      requestLine({
        level: 'error',
        statusCode: 503,
        outcome: 'unavailable',
        reason: 'rule 3: relation returned no row',
      }),
      PLAIN,
    );
    expect(refused).toMatch(
      new RegExp(`^${CLOCK} ERROR POST /pusher/user-auth 503 3\\.1 ms  `),
    );
    expect(refused).toContain('reason="rule 3: relation returned no row"');
  });

  it('re-escapes what JSON.parse decodes: no terminal escape, C1 control, bidi override or line break reaches the terminal', () => {
    const hostile = 'alice\u202etxt\u2028x\u001b[2J\u009b31m\r\nend';
    const lines = [
      requestLine({ url: `/pusher/user-auth?x=${hostile}`, userId: hostile }),
      line({ msg: `not signing user ${hostile}`, context: hostile }),
      line({ msg: 'failed', err: { type: 'Error', message: hostile } }),
      line({
        msg: 'failed',
        err: {
          type: 'Error',
          message: 'm',
          stack: `Error: ${hostile}\n  at x`,
        },
      }),
    ];
    for (const text of lines) {
      const shown = prettyLine(text, PLAIN);
      expect(shown).not.toContain('\u001b');
      // The stack is the only thing printed over several lines, each escaped on its own.
      for (const part of shown.split('\n'))
        expect(part).not.toMatch(RAW_CONTROLS);
    }
    expect(prettyLine(lines[0], PLAIN)).toContain(
      'userId="alice\\u202etxt\\u2028x\\u001b[2J\\u009b31m\\r\\nend"',
    );
    expect(prettyLine(lines[1], PLAIN)).toContain(
      'not signing user alice\\u202etxt\\u2028x\\u001b[2J\\u009b31m\\u000d\\u000aend',
    );
  });

  it('prints an error stack on the lines below, indented, keeping what the stack does not say', () => {
    const shown = prettyLine(
      line({
        level: 'error',
        context: 'ExceptionsHandler',
        msg: 'boom',
        err: {
          type: 'Error',
          message: 'boom',
          stack: 'Error: boom\n    at one (a.js:1:1)',
          code: 'E_BOOM',
        },
      }),
      PLAIN,
    );
    expect(shown.split('\n')).toEqual([
      `${CLOCK} ERROR [ExceptionsHandler] boom  err={"code":"E_BOOM"}`,
      '    Error: boom',
      '        at one (a.js:1:1)',
    ]);
  });

  it('passes text that is not a JSON object through, escaped', () => {
    expect(prettyLine('plain words, not JSON', PLAIN)).toBe(
      'plain words, not JSON',
    );
    expect(prettyLine('{"cut": ', PLAIN)).toBe('{"cut": ');
    expect(prettyLine('[1,2]', PLAIN)).toBe('[1,2]');
    expect(prettyLine('bell\u0007 and \u001b[31mred', PLAIN)).toBe(
      'bell\\u0007 and \\u001b[31mred',
    );
  });

  it('formats every line of a chunk, each ending with a line break', () => {
    const text = `${line({ msg: 'one' })}\n${line({ msg: 'two' })}\n`;
    expect(prettyLines(text, PLAIN)).toBe(
      `${CLOCK} INFO  one\n${CLOCK} INFO  two\n`,
    );
  });

  it('hands each formatted line to the sink it writes to', () => {
    const written: string[] = [];
    const destination = new PrettyLines(
      { write: (text: string) => written.push(text) },
      PLAIN,
    );
    destination.write(`${line({ msg: 'hello' })}\n`);
    expect(written).toEqual([`${CLOCK} INFO  hello\n`]);
  });
});

describe('colours', () => {
  const terminal = (hasColors: boolean) => ({ hasColors: () => hasColors });

  it('are used only when the terminal shows them and NO_COLOR is unset', () => {
    expect(coloursWanted(terminal(true), {})).toBe(true);
    expect(coloursWanted(terminal(true), { NO_COLOR: '1' })).toBe(false);
    expect(coloursWanted(terminal(true), { NO_COLOR: '' })).toBe(false);
    expect(coloursWanted(terminal(false), {})).toBe(false);
    // A pipe or a file has no hasColors at all.
    expect(coloursWanted({}, {})).toBe(false);
  });

  it('paint the level and status, and nothing at all without them', () => {
    const coloured = prettyLine(requestLine({ statusCode: 403 }), {
      colours: true,
    });
    expect(coloured).toContain('\u001b[32mINFO \u001b[0m');
    expect(coloured).toContain('\u001b[33m403\u001b[0m');
    expect(prettyLine(requestLine(), PLAIN)).not.toContain('\u001b');
  });

  it('never let a value carry its own escape, even with colours on', () => {
    /* eslint-disable no-control-regex -- our colour escapes are what is looked for */
    const coloured = prettyLine(line({ msg: 'x\u001b[31my' }), {
      colours: true,
    });
    expect(coloured).toContain('x\\u001b[31my');
    // Every ESC left is one of ours: a colour or a reset.
    for (const match of coloured.matchAll(/\u001b\[(\d+)m/g))
      expect(['0', '2', '31', '32', '33', '34', '35', '36']).toContain(
        match[1],
      );
    expect(coloured.split('\u001b[').length - 1).toBe(
      [...coloured.matchAll(/\u001b\[\d+m/g)].length,
    );
    /* eslint-enable no-control-regex */
  });
});
