import type { QueryRunner } from 'typeorm';

/** An installed function's definition as PostgreSQL prints it (`CREATE OR REPLACE FUNCTION ...`). */
export async function installedFunctionSource(q: QueryRunner, name: string): Promise<string> {
  const rows = (await q.query(
    `SELECT pg_get_functiondef(p.oid) AS source FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = $1 AND n.nspname = current_schema()`,
    [name],
  )) as { source: string }[];
  if (rows.length !== 1) throw new Error(`${name}: ${rows.length} functions`);
  return rows[0].source;
}

/**
 * Edits an installed function in place: each `[before, after]` passage must be found (or the migration fails, as it
 * must on a database whose function is not the one the migration was written against), then the function is
 * replaced. `down` passes the pairs reversed and swapped.
 */
export async function editInstalledFunction(
  q: QueryRunner,
  name: string,
  edits: readonly (readonly [string, string])[],
): Promise<void> {
  let source = await installedFunctionSource(q, name);
  for (const [before, after] of edits) {
    if (!source.includes(before)) throw new Error(`${name} is not the function this migration changes`);
    source = source.replace(before, after);
  }
  await q.query(source);
}
