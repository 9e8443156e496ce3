import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';

/**
 * helmet's defaults (HSTS, nosniff, frame and referrer policies, a strict CSP that also suits
 * the /docs page). `Cross-Origin-Resource-Policy: same-origin` does not affect the CORS (ajax)
 * sign-in, but would stop a cross-site `<script>` from loading the JSONP answer: that route
 * sets `cross-origin` itself, which overrides this when the reply is written.
 */
export const HELMET_OPTIONS = {
  crossOriginResourcePolicy: { policy: 'same-origin' },
  contentSecurityPolicy: {
    directives: { 'frame-ancestors': ["'none'"] },
  },
} as const;

/**
 * With these options every header helmet sets is a constant (no CSP nonce, nothing read from
 * the request), so they are computed once, at boot, and each answer gets the same set through
 * Fastify's reply headers. Running helmet's middleware per request (twelve middlewares, eleven
 * `setHeader` calls, each validating its name and value) took 2.3% of the service's busy CPU in
 * the benchmark's profile; the constant set takes 1.2%. @fastify/helmet, used before that, also
 * rebuilt the middleware on every request (about 4%). Returns the set.
 */
export function registerSecurityHeaders(
  app: NestFastifyApplication,
): Readonly<Record<string, string>> {
  // Names in lower case, as Fastify keeps them: set as they are, with no per-answer key list.
  const headers = helmetHeaders();
  const lowerNames = Object.keys(headers).map((name) => name.toLowerCase());
  const values = Object.values(headers);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      for (let index = 0; index < lowerNames.length; index++) {
        void reply.header(lowerNames[index], values[index]);
      }
      done();
    });
  // The answers written outside Fastify's hooks set the same (out-of-band-answers.ts).
  return headers;
}

/** The headers helmet's middleware sets on an answer, collected from one run of it. */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const answer = {
    setHeader: (name: string, value: string) => {
      headers[name] = value;
    },
    // X-Powered-By: Fastify never sets it.
    removeHeader: () => undefined,
  };
  let finished = false;
  helmet(HELMET_OPTIONS)(
    {} as IncomingMessage,
    answer as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error as Error;
      finished = true;
    },
  );
  // A future option that works per request (asynchronously) must not be frozen here unnoticed.
  if (!finished) throw new Error('helmet did not set its headers at once');
  return headers;
}
