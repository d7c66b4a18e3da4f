-- @sess/postgres schema for "public"."sess_sessions", version 1. Safe to run more than once.
BEGIN;
SELECT pg_advisory_xact_lock(24149, hashtext('public.sess_sessions'));
CREATE TABLE IF NOT EXISTS "public"."sess_sessions_migrations" (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
-- 1: create sessions table
CREATE TABLE IF NOT EXISTS "public"."sess_sessions" (
  id                  text        PRIMARY KEY,
  principal           text,
  created_at          timestamptz NOT NULL,
  last_accessed_at    timestamptz NOT NULL,
  max_inactive_ms     bigint      NOT NULL CHECK (max_inactive_ms > 0),
  absolute_expires_at timestamptz,
  expires_at          timestamptz NOT NULL,
  attributes          jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object')
);
-- Cleanup scans expired rows in expiry order, a bounded batch at a time.
CREATE INDEX IF NOT EXISTS "sess_sessions_expires_at_idx" ON "public"."sess_sessions" (expires_at);
-- Find-by-principal. Partial: anonymous sessions (usually most of them) stay out of the index.
CREATE INDEX IF NOT EXISTS "sess_sessions_principal_idx" ON "public"."sess_sessions" (principal) WHERE principal IS NOT NULL;
INSERT INTO "public"."sess_sessions_migrations" (version, name) VALUES (1, 'create sessions table') ON CONFLICT (version) DO NOTHING;
COMMIT;
