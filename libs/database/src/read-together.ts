import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { preparedRows, sqlRows } from './sql-rows';

/**
 * One read of a statement that answers several reads at once: a scalar subquery that answers one value (usually
 * `json`), and how that value becomes what the read answers. Each lib writes the parts over its own tables and
 * exports them; `readTogether` sends parts of several libs as one statement.
 */
export interface ReadPart<T> {
  /** The subquery's SQL. `arg` adds a parameter and answers its placeholder (`$n`); cast it where a type is needed. */
  sql(arg: (value: unknown) => string): string;
  /** The subquery's value (SQL null as `null`) as the read's answer. */
  map(value: unknown): T;
}

export type ReadResults<P> = { [K in keyof P]: P[K] extends ReadPart<infer T> ? T : never };

/** Statement names by text: a part set's text is the same on every request, so each is prepared once per connection. */
const names = new Map<string, string>();
const NAMES_MAX = 256;

/**
 * Runs the parts as one statement (`SELECT (part) AS r0, (part) AS r1, ...`): one round trip where each would be
 * one of its own. A round trip is what a storefront request mostly costs (docs/benchmarks.md). With a DataSource it
 * is a named prepared statement on the pool (see preparedRows); with an EntityManager it runs on that manager's
 * connection (inside its transaction, if any).
 */
export async function readTogether<P extends Record<string, ReadPart<unknown>>>(
  on: DataSource | EntityManager,
  parts: P,
): Promise<ReadResults<P>> {
  const values: unknown[] = [];
  const arg = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const keys = Object.keys(parts);
  const text = `SELECT ${keys.map((key, i) => `(${parts[key].sql(arg)}) AS "r${i}"`).join(', ')}`;
  const [row] =
    on instanceof DataSource
      ? await preparedRows<Record<string, unknown>>(on, statementName(text), text, values)
      : await sqlRows<Record<string, unknown>>(on, text, values);
  return Object.fromEntries(keys.map((key, i) => [key, parts[key].map(row?.[`r${i}`] ?? null)])) as ReadResults<P>;
}

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `together_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    // Only a bug would make more shapes than this; past it, names are still right, only computed each time.
    if (names.size < NAMES_MAX) names.set(text, name);
  }
  return name;
}

/**
 * An entity from its row as `to_jsonb(row)` answers it (column names as keys): what TypeORM would load for the
 * row's own columns, relations left out. Timestamps come as ISO strings and become Dates (JSON drops the
 * microseconds a Date cannot hold either). Numeric and bigint columns are not supported: JSON numbers would lose
 * their exactness, so an entity with one is refused.
 */
export function entityFromJson<T extends object>(
  dataSource: DataSource,
  target: new () => T,
  row: Record<string, unknown>,
): T {
  const metadata = dataSource.getMetadata(target);
  const entity = new target();
  for (const column of metadata.columns) {
    if (metadata.relations.some((relation) => relation.propertyName === column.propertyName)) continue;
    const type = String(column.type);
    if (type === 'numeric' || type === 'bigint' || type === 'decimal') {
      throw new Error(`entityFromJson: ${metadata.name}.${column.propertyName} is ${type}`);
    }
    const value = row[column.databaseName];
    const timestamp = (type === 'timestamptz' || type === 'timestamp') && typeof value === 'string';
    Object.assign(entity, { [column.propertyName]: timestamp ? new Date(value) : (value ?? null) });
  }
  return entity;
}
