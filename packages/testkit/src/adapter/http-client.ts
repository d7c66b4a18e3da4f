/** A tiny HTTP client over global fetch that remembers one session token, like a browser tab. */
export interface FixtureResponseSeen {
  status: number;
  body: string;
  headers: Headers;
  setCookies: string[];
}

export class FixtureClient {
  readonly baseUrl: string;
  readonly cookieName: string;
  /** The session token this client sends (cookie value or header value). */
  token: string | undefined;
  /** Send the token in this header instead of a cookie. */
  readonly header: string | undefined;

  constructor(baseUrl: string, options: { cookieName?: string; header?: string; token?: string } = {}) {
    this.baseUrl = baseUrl;
    this.cookieName = options.cookieName ?? 'sid';
    this.header = options.header;
    this.token = options.token;
  }

  /** A second client holding the same token (another tab of the same browser). */
  clone(): FixtureClient {
    return new FixtureClient(this.baseUrl, {
      cookieName: this.cookieName,
      ...(this.header === undefined ? {} : { header: this.header }),
      ...(this.token === undefined ? {} : { token: this.token }),
    });
  }

  async get(
    path: string,
    init: { cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<FixtureResponseSeen> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.cookie !== undefined) headers.cookie = init.cookie;
    else if (this.token !== undefined && this.header === undefined)
      headers.cookie = `${this.cookieName}=${this.token}`;
    if (this.token !== undefined && this.header !== undefined) headers[this.header] = this.token;
    const response = await fetch(this.baseUrl + path, { headers, redirect: 'manual' });
    const body = await response.text();
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (pair!.slice(0, eq).trim() !== this.cookieName) continue;
      const value = pair!.slice(eq + 1);
      this.token = value === '' ? undefined : decodeURIComponent(value);
    }
    if (this.header !== undefined) {
      const value = response.headers.get(this.header);
      if (value !== null) this.token = value === '' ? undefined : value;
    }
    return { status: response.status, body, headers: response.headers, setCookies };
  }
}
