import { parse as parseForm } from 'fast-querystring';
import type { FastifyInstance } from 'fastify';
import { bodyEncodingProblem } from './body-encoding';
import { formBodyProblem, jsonBodyProblem, queryProblem } from './body-limits';
import { InputLimitError } from './input-limit.error';

/**
 * The only bodies the service reads: JSON and forms, uncompressed and in UTF-8 (body-encoding.ts),
 * each checked against body-limits.ts on the raw text before it is parsed, so a hostile shape
 * costs one pass over at most 64 KiB. Every other content type has no parser (415, answered as
 * 400). Replaces Nest's parsers (`bodyParser: false` in createApp). Query strings get the same
 * field limit on every route.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  // Fastify's own parser: it refuses __proto__ and constructor.prototype keys.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request, body, done) => {
      const text = body as string;
      const problem = jsonBodyProblem(text);
      if (problem) return done(new InputLimitError(problem), undefined);
      void parseJson(request, text, done);
    },
  );
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = body as string;
      const problem = formBodyProblem(text);
      if (problem) return done(new InputLimitError(problem), undefined);
      // Keys stay flat (`channel_name[0]` is one key): nothing nests in a form body. Fastify's
      // own query-string parser: node:querystring was about 1.4% of a sign-in's CPU for one field
      // (its object without a prototype is a slow dictionary). The field count is checked above.
      done(null, parseForm(text));
    },
  );
  // Before the body is read: a gzip body is not valid UTF-8, so reading it as text fails first.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const problem =
      bodyEncodingProblem(request.headers) ?? queryProblem(request.url);
    done(problem ? new InputLimitError(problem) : undefined);
  });
}
