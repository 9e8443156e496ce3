import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { JsonpUserAuthDto } from '../pusher/dto/jsonp-user-auth.dto';
import { UserAuthDto } from '../pusher/dto/user-auth.dto';
import { flatFieldsOf } from './flat-dto-fields';
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

const pipe = new RequestValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'body',
  metatype,
});

/** What the pipe answers: the value it passes on, or the problems of its 400. */
async function outcome(
  run: () => Promise<unknown>,
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
    [
      'a bad callback',
      JsonpUserAuthDto,
      { socket_id: '1.2', callback: 'alert(1)//' },
    ],
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

  it('leaves a DTO that class-transformer changes to the library pipe', async () => {
    expect(flatFieldsOf(Trimmed)).toBeNull();
    expect(flatFieldsOf(Nested)).toBeNull();
    expect(await pipe.transform({ name: '  a  ' }, body(Trimmed))).toEqual({
      name: 'a',
    });
  });

  it('reads the fields of a DTO and of the class it extends', () => {
    expect(flatFieldsOf(UserAuthDto)).toEqual(['socket_id']);
    expect([...(flatFieldsOf(JsonpUserAuthDto) ?? [])].sort()).toEqual([
      'callback',
      'socket_id',
    ]);
  });
});
