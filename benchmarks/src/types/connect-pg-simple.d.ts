// connect-pg-simple ships no types; the benchmark uses only its store factory.
declare module 'connect-pg-simple' {
  import type session from 'express-session';

  type PgStoreFactory = (s: typeof session) => new (options: Record<string, unknown>) => session.Store;
  const connectPgSimple: PgStoreFactory;
  export default connectPgSimple;
}
