/** The table names a PostgreSQL run store uses, from its prefix. */
export interface Tables {
  readonly entries: string;
  readonly leases: string;
  readonly cache: string;
}

/** The tables behind `prefix` (a plain identifier, checked by the caller). */
export function tablesFor(prefix: string): Tables {
  return {
    entries: `${prefix}run_entries`,
    leases: `${prefix}run_leases`,
    cache: `${prefix}step_cache`,
  };
}

/**
 * The DDL, idempotent: each journal entry is a row (its JSON kept as text, exactly as written,
 * beside the few fields `list()` summarises), leases one row per run, the cache one row per key.
 */
export function schemaSql(tables: Tables): string {
  return `
CREATE TABLE IF NOT EXISTS ${tables.entries} (
  run_id text NOT NULL,
  seq bigserial NOT NULL,
  type text NOT NULL,
  at double precision NOT NULL,
  chain text,
  steps integer,
  step_id text,
  item integer,
  cost_usd double precision,
  status text,
  body text NOT NULL,
  PRIMARY KEY (run_id, seq)
);
-- The map items of a format 2 items entry (tables made before it lack the column).
ALTER TABLE ${tables.entries} ADD COLUMN IF NOT EXISTS items integer[];
CREATE TABLE IF NOT EXISTS ${tables.leases} (
  run_id text PRIMARY KEY,
  owner text NOT NULL,
  expires_at double precision NOT NULL
);
CREATE TABLE IF NOT EXISTS ${tables.cache} (
  key text PRIMARY KEY,
  stored_at double precision NOT NULL,
  body text NOT NULL
);`;
}
