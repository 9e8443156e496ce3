import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * helmet's defaults (HSTS, nosniff, frame and referrer policies, a strict CSP that also suits
 * the /docs page). `Cross-Origin-Resource-Policy: same-origin` does not affect the CORS (ajax)
 * sign-in, but would stop a cross-site `<script>` from loading the JSONP answer: that route
 * sets `cross-origin` itself.
 */
export async function registerSecurityHeaders(
  app: NestFastifyApplication,
): Promise<void> {
  await app.register(helmet, {
    crossOriginResourcePolicy: { policy: 'same-origin' },
    contentSecurityPolicy: {
      directives: { 'frame-ancestors': ["'none'"] },
    },
  });
}
