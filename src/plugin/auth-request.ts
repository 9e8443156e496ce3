/**
 * What a strategy sees of a request: a small read-only view, the same whichever HTTP framework
 * serves it. Header names are lower case; a header sent several times is joined with ", ".
 */
export interface AuthRequest {
  /** `POST` for the endpoints pusher-js posts to, `GET` for the JSONP ones. */
  readonly method: string;
  /** The path, without the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed from the `Cookie` header; a name sent twice keeps its first value. */
  readonly cookies: Readonly<Record<string, string>>;
  /** The query string's parameters (a repeated one keeps its first value). */
  readonly query: Readonly<Record<string, string>>;
  /** The form or JSON body's top-level string fields; empty for a GET. */
  readonly body: Readonly<Record<string, string>>;
  /** The client's address, as `TRUST_PROXY` lets the service read it. */
  readonly clientAddress: string;
  /**
   * A JSONP request: a `<script>` GET that any page can embed, carrying the visitor's ambient
   * credentials. On such a request `headers` holds no `cookie` or `authorization` and `cookies`
   * is empty, whatever the browser sent: only a credential written into the URL may be used.
   */
  readonly jsonp: boolean;
}
