import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { parse as parseQuery } from 'fast-querystring';
import { JsonpUserAuthDto } from '../pusher/dto/jsonp-user-auth.dto';
import { UserAuthDto } from '../pusher/dto/user-auth.dto';
import { Flat, FlatDto } from './flat-dto';
import { InvalidRequestError } from './invalid-request.error';
import { RequestValidationPipe } from './request-validation.pipe';

class Trimmed {
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() : value,
  )
  @IsString()
  name!: string;
}

class Nested {
  @ValidateNested()
  @Type(() => Trimmed)
  inner!: Trimmed;
}

/** A rule that answers with a promise but is not flagged async (ValidateBy drops the flag). */
const resolvesTo = (answer: boolean) =>
  ValidateBy({
    name: 'lateAnswer',
    validator: { validate: () => Promise.resolve(answer) },
  });

@Flat()
class LateRefusal {
  @IsString()
  @resolvesTo(false)
  name!: string;
}

@Flat()
class LateApproval {
  @IsString()
  @resolvesTo(true)
  name!: string;
}

@Flat()
class Rules {
  @IsDefined()
  @IsString()
  @MaxLength(5)
  short!: string;

  @IsOptional()
  @IsInt()
  count?: number;

  @ValidateIf((dto: Rules) => dto.short === 'check')
  @IsString()
  checkedWhen?: string;

  @IsString({ each: true })
  tags!: string[];
}

const pipe = new RequestValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'body',
  metatype,
});

/** What the pipe answers: the value it passes on, or the problems of its 400. */
async function outcome(
  run: () => unknown,
): Promise<{ value?: unknown; problems?: readonly string[] }> {
  try {
    return { value: await run() };
  } catch (error) {
    if (error instanceof InvalidRequestError)
      return { problems: error.problems };
    throw error;
  }
}

describe('RequestValidationPipe', () => {
  it('validates a flat DTO on a new pipe whose first request takes the fast path', async () => {
    // Nest's own pipe loads class-validator on its first transform; the fast path must not need it.
    const fresh = new RequestValidationPipe();
    await expect(
      outcome(() => fresh.transform({ socket_id: '1.2' }, body(UserAuthDto))),
    ).resolves.toEqual({ value: { socket_id: '1.2' } });
    await expect(
      outcome(() => fresh.transform({}, body(UserAuthDto))),
    ).resolves.toMatchObject({
      problems: [expect.stringContaining('socket_id')],
    });
  });

  const callback = "Pusher.auth_callbacks['1']";
  const cases: [string, ArgumentMetadata['metatype'], unknown][] = [
    ['a valid body', UserAuthDto, { socket_id: '1.2' }],
    ['extra pusher-js params', UserAuthDto, { socket_id: '1.2', a: 'b' }],
    ['a missing field', UserAuthDto, { other: 'x' }],
    ['a field of another type', UserAuthDto, { socket_id: ['1.2'] }],
    ['a field holding an object', UserAuthDto, { socket_id: { a: 1 } }],
    [
      'prototype keys',
      UserAuthDto,
      JSON.parse('{"socket_id":"1.2","__proto__":{"x":1},"constructor":1}'),
    ],
    [
      'a null-prototype query',
      JsonpUserAuthDto,
      Object.assign(Object.create(null), { socket_id: '1.2', callback }),
    ],
    ['an inherited field missing', JsonpUserAuthDto, { callback }],
    ['a parsed form body', UserAuthDto, parseQuery('socket_id=1.2&a=b')],
    [
      'a parsed form body with prototype keys',
      UserAuthDto,
      parseQuery('socket_id=1.2&__proto__=x&constructor=y'),
    ],
    [
      'a parsed query',
      JsonpUserAuthDto,
      parseQuery(`socket_id=1.2&callback=${encodeURIComponent(callback)}`),
    ],
    [
      'a parsed form body, field repeated',
      UserAuthDto,
      parseQuery('socket_id=1.2&socket_id=3.4'),
    ],
    [
      'a bad callback',
      JsonpUserAuthDto,
      { socket_id: '1.2', callback: 'alert(1)//' },
    ],
    ['a promised refusal', LateRefusal, { name: 'a' }],
    ['a promised approval', LateApproval, { name: 'a' }],
    ['rules that all pass', Rules, { short: 'abc', count: 3, tags: ['a'] }],
    ['a constraint argument broken', Rules, { short: 'abcdef', tags: [] }],
    ['an optional field absent', Rules, { short: 'a', tags: [] }],
    ['an optional field null', Rules, { short: 'a', count: null, tags: [] }],
    ['an optional field wrong', Rules, { short: 'a', count: 'x', tags: [] }],
    ['a condition off', Rules, { short: 'a', checkedWhen: 1, tags: [] }],
    ['a condition on', Rules, { short: 'check', checkedWhen: 1, tags: [] }],
    ['a defined field missing', Rules, { tags: [] }],
    ['an item of a list wrong', Rules, { short: 'a', tags: ['a', 2] }],
    ['no body at all', UserAuthDto, undefined],
    ['an array body', UserAuthDto, [{ socket_id: '1.2' }]],
    ['a string body', UserAuthDto, 'socket_id=1.2'],
  ];

  it.each(cases)(
    'answers %s exactly as the library pipe with the same options',
    async (_name, metatype, value) => {
      const copy = (): unknown =>
        value === undefined || typeof value !== 'object'
          ? value
          : Object.assign(
              Object.create(
                Object.getPrototypeOf(value) as object | null,
              ) as object,
              value,
            );
      const ours = await outcome(() => pipe.transform(copy(), body(metatype)));
      const library = await outcome(
        () =>
          ValidationPipe.prototype.transform.call(
            pipe,
            copy(),
            body(metatype),
          ) as Promise<unknown>,
      );
      expect(ours).toEqual(library);
    },
  );

  it('passes on only the declared fields, as a plain object', async () => {
    const value = await pipe.transform(
      { socket_id: '1.2', callback, extra: 'x' },
      body(JsonpUserAuthDto),
    );
    expect(value).toStrictEqual({ socket_id: '1.2', callback });
  });

  it('names the field in the 400 and never quotes the value', async () => {
    const { problems } = await outcome(() =>
      pipe.transform({ socket_id: 'secret-token' }, body(UserAuthDto)),
    );
    expect(problems).toEqual(['socket_id must look like 1234.5678']);
  });

  it('leaves to class-validator every rule it cannot decide synchronously', () => {
    const late = Object.assign(new LateApproval(), { name: 'a' });
    expect(FlatDto.of(LateApproval)?.accepts(late)).toBe(false);
    const each = Object.assign(new Rules(), { short: 'a', tags: ['a'] });
    expect(FlatDto.of(Rules)?.accepts(each)).toBe(false);
  });

  it('accepts synchronously what passes every rule', () => {
    const entity = Object.assign(new UserAuthDto(), { socket_id: '1.2' });
    expect(FlatDto.of(UserAuthDto)?.accepts(entity)).toBe(true);
    const bad = Object.assign(new UserAuthDto(), { socket_id: '1.2x' });
    expect(FlatDto.of(UserAuthDto)?.accepts(bad)).toBe(false);
  });

  it('leaves a DTO not declared flat to the library pipe, whatever its rules', async () => {
    class Undeclared {
      @IsString()
      name!: string;
    }
    expect(FlatDto.of(Undeclared)).toBeNull();
    expect(FlatDto.of(Trimmed)).toBeNull();
    expect(FlatDto.of(Nested)).toBeNull();
    expect(await pipe.transform({ name: '  a  ' }, body(Trimmed))).toEqual({
      name: 'a',
    });
  });

  it('reads the fields of a DTO and of the class it extends', () => {
    expect(FlatDto.of(UserAuthDto)?.fields).toEqual(['socket_id']);
    expect([...(FlatDto.of(JsonpUserAuthDto)?.fields ?? [])].sort()).toEqual([
      'callback',
      'socket_id',
    ]);
  });
});
