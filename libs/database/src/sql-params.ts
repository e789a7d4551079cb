/**
 * A statement's parameters, numbered as they are added: `add(value)` keeps the value and returns its placeholder
 * (`$1`, `$2`, ...), so SQL built from optional parts never miscounts them. Values start with `initial` ($1...).
 */
export class SqlParams {
  readonly values: unknown[];

  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }

  add = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}
