import type { HttpPort } from '@sess/core';
import type { Request, Response } from 'express';

/** Core's HTTP port over Express' request and response. */
export function expressPort(req: Request, res: Response): HttpPort {
  return {
    getRequestHeader(name) {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    isSecure: () => req.secure, // honours Express' "trust proxy" setting
    getResponseHeader(name) {
      const value = res.getHeader(name);
      return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
    },
    setResponseHeader: (name, value) => {
      res.setHeader(name, value);
    },
    appendResponseHeader: (name, value) => {
      res.append(name, value);
    },
    headersSent: () => res.headersSent,
  };
}
