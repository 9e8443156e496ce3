import { applyDecorators, Header } from '@nestjs/common';

/**
 * The headers of every JSONP answer: JavaScript that is never sniffed as anything else nor
 * cached, and loadable by a `<script>` on another site (same-origin would make the browser drop
 * it). A failed JSONP request is answered as JSON by the error filter instead.
 */
export const JsonpResponse = () =>
  applyDecorators(
    Header('Cross-Origin-Resource-Policy', 'cross-origin'),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Content-Type', 'application/javascript; charset=utf-8'),
    Header('Cache-Control', 'no-store'),
  );
