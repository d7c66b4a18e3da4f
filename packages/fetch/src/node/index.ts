/** `@sess/fetch/node`: serve a fetch handler from node:http. Node only; the root export stays runtime-neutral. */
export { type FetchHandler, type ServeFetchOptions, serveFetch } from './serve-fetch.js';
