import type { HttpPort } from '@sess/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Core's HTTP port over Fastify's request and reply. */
export function fastifyPort(request: FastifyRequest, reply: FastifyReply): HttpPort {
  return {
    getRequestHeader(name) {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    isSecure: () => request.protocol === 'https', // honours Fastify's trustProxy option
    getResponseHeader(name) {
      const value = reply.getHeader(name);
      return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
    },
    setResponseHeader: (name, value) => {
      // reply.header() appends for set-cookie only; other headers must replace.
      reply.removeHeader(name);
      reply.header(name, value);
    },
    appendResponseHeader: (name, value) => {
      // Fastify keeps set-cookie as a list (and @fastify/cookie adds to it): header() appends there.
      const current = name === 'set-cookie' ? undefined : reply.getHeader(name);
      reply.header(name, current === undefined ? value : `${String(current)}, ${value}`);
    },
    headersSent: () => reply.raw.headersSent,
  };
}
