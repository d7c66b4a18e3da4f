import type { HttpPort } from '@sess/core';
import type { Request, Response } from 'express';

/** Core's HTTP port over Express' request and response (a class: one allocation per request). */
class ExpressPort implements HttpPort {
  readonly #req: Request;
  readonly #res: Response;

  constructor(req: Request, res: Response) {
    this.#req = req;
    this.#res = res;
  }

  getRequestHeader(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** Honours Express' "trust proxy" setting. */
  isSecure(): boolean {
    return this.#req.secure;
  }

  getResponseHeader(name: string): string | undefined {
    const value = this.#res.getHeader(name);
    return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
  }

  setResponseHeader(name: string, value: string): void {
    this.#res.setHeader(name, value);
  }

  appendResponseHeader(name: string, value: string): void {
    this.#res.append(name, value);
  }

  headersSent(): boolean {
    return this.#res.headersSent;
  }
}

export function expressPort(req: Request, res: Response): HttpPort {
  return new ExpressPort(req, res);
}
