import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { SqlParams } from './sql-params';
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
  const params = new SqlParams();
  const arg = params.add;
  const { values } = params;
  const keys = Object.keys(parts);
  const text = `SELECT ${keys.map((key, i) => `(${parts[key].sql(arg)}) AS "r${i}"`).join(', ')}`;
  const [row] =
    on instanceof DataSource
      ? await preparedRows<Record<string, unknown>>(on, statementName(text), text, values)
      : await sqlRows<Record<string, unknown>>(on, text, values);
  return Object.fromEntries(keys.map((key, i) => [key, parts[key].map(row?.[`r${i}`] ?? null)])) as ReadResults<P>;
}

/**
 * A prepared statement's name for a statement text (see preparedRows): the same text, the same name, so each text is
 * prepared once per connection.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `together_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    // Only a bug would make more shapes than this; past it, names are still right, only computed each time.
    if (names.size < NAMES_MAX) names.set(text, name);
  }
  return name;
}

const EXACT_TYPES = new Set(['numeric', 'decimal', 'bigint', 'int8']);

/**
 * An entity's row as a json object in SQL, keyed by column name, as `entityFromJson` reads it: `to_jsonb(alias)`
 * would turn numeric and bigint columns into JSON numbers, which lose exactness past 2^53, so those come as text.
 */
export function entityJsonSql(dataSource: DataSource, target: new () => object, alias: string): string {
  const pairs = ownColumns(dataSource, target).map((column) => {
    const value = `${alias}."${column.databaseName}"`;
    return `'${column.databaseName}', ${EXACT_TYPES.has(String(column.type)) ? `${value}::text` : value}`;
  });
  // jsonb_build_object takes at most 100 arguments: 50 columns per object, the objects joined.
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) chunks.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
  return chunks.length === 0 ? `'{}'::jsonb` : chunks.join(' || ');
}

/**
 * An entity from its row as json (`to_jsonb(row)`, or `entityJsonSql` for an entity with numeric or bigint
 * columns), column names as keys: what TypeORM would load for the row's own columns, relations left out, column
 * transformers applied. Timestamps come as ISO strings and become Dates (JSON drops the microseconds a Date cannot
 * hold either). A numeric or bigint column must come as text: a JSON number is refused, it may have lost digits.
 */
export function entityFromJson<T extends object>(
  dataSource: DataSource,
  target: new () => T,
  row: Record<string, unknown>,
): T {
  const entity = new target() as Record<string, unknown>;
  for (const column of readPlan(dataSource, target)) {
    let value: unknown = row[column.databaseName] ?? null;
    if (column.exact && typeof value === 'number') {
      throw new Error(`entityFromJson: ${target.name}.${column.propertyName} (${column.type}) came as a JSON number`);
    }
    if (column.timestamp && typeof value === 'string') value = new Date(value);
    for (const from of column.from) value = from(value);
    entity[column.propertyName] = value;
  }
  return entity as T;
}

/**
 * An entity's own column values keyed by column name, column transformers applied as on a write (a money column's
 * bigint becomes its decimal text): the json a SQL function takes as `jsonb_populate_record(NULL::table, $n)`.
 * Columns the entity leaves undefined are left out (the function's insert gives them their defaults).
 */
export function entityToJson<T extends object>(
  dataSource: DataSource,
  target: new () => T,
  entity: Partial<T>,
): string {
  const row: Record<string, unknown> = {};
  for (const column of ownColumns(dataSource, target)) {
    let value = (entity as Record<string, unknown>)[column.propertyName];
    if (value === undefined) continue;
    for (const transformer of column.transformer === undefined ? [] : [column.transformer].flat()) {
      value = transformer.to(value) as unknown;
    }
    row[column.databaseName] = value;
  }
  return JSON.stringify(row);
}

/** Each entity's own columns (relations left out), worked out once per entity's metadata. */
const ownColumnsOf = new WeakMap<object, ColumnMetadata[]>();

function ownColumns(dataSource: DataSource, target: new () => object): ColumnMetadata[] {
  const metadata = dataSource.getMetadata(target);
  let columns = ownColumnsOf.get(metadata);
  if (!columns) {
    columns = metadata.columns.filter(
      (column) => !metadata.relations.some((r) => r.propertyName === column.propertyName),
    );
    ownColumnsOf.set(metadata, columns);
  }
  return columns;
}

/** How entityFromJson reads one column: worked out once, since a storefront request reads several entities. */
interface ColumnRead {
  readonly databaseName: string;
  readonly propertyName: string;
  readonly type: string;
  /** numeric or bigint: must come as text. */
  readonly exact: boolean;
  readonly timestamp: boolean;
  /** The column's transformers' `from`, in the order a read applies them (the last one first). */
  readonly from: readonly ((value: unknown) => unknown)[];
}

/** Read plans by data source and entity class (a data source's metadata is fixed once it is initialised). */
const readPlans = new WeakMap<DataSource, Map<new () => object, readonly ColumnRead[]>>();

function readPlan(dataSource: DataSource, target: new () => object): readonly ColumnRead[] {
  let plans = readPlans.get(dataSource);
  if (!plans) readPlans.set(dataSource, (plans = new Map<new () => object, readonly ColumnRead[]>()));
  let plan = plans.get(target);
  if (!plan) {
    plan = ownColumns(dataSource, target).map((column) => {
      const type = String(column.type);
      const transformers = column.transformer === undefined ? [] : [column.transformer].flat();
      return {
        databaseName: column.databaseName,
        propertyName: column.propertyName,
        type,
        exact: EXACT_TYPES.has(type),
        timestamp: type === 'timestamptz' || type === 'timestamp',
        from: transformers.reverse().map(
          (transformer) =>
            (value: unknown): unknown =>
              transformer.from(value),
        ),
      };
    });
    plans.set(target, plan);
  }
  return plan;
}
