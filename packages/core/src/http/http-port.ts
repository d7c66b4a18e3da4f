/**
 * The whole surface core needs from a web framework. An adapter builds one per request from its
 * framework's request and response objects; every HTTP session behaviour lives in core behind it.
 */
export interface HttpPort {
  /** A request header by lower-case name; repeated headers joined as the framework does. */
  getRequestHeader(name: string): string | undefined;
  /** Whether the request reached the application over HTTPS (as the framework decides, proxies included). */
  isSecure(): boolean;
  /** A response header already set, by lower-case name. */
  getResponseHeader(name: string): string | undefined;
  /** Sets (replaces) a response header. */
  setResponseHeader(name: string, value: string): void;
  /** Adds a response header value without replacing existing ones (Set-Cookie). */
  appendResponseHeader(name: string, value: string): void;
  /** Whether response headers have gone out already; core then leaves them alone. Default: false. */
  headersSent?(): boolean;
}
