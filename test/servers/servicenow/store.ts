// The simulator's tables: rows of string values (as the Table API stores and returns them), in
// insertion order. Writes keep only the table's columns (an instance ignores unknown fields),
// sys_user.name follows first and last name, sys_user.user_name is unique (a duplicate insert is
// refused), and deleting a user or group deletes its sys_user_grmember rows (cascade).
import { randomBytes } from 'node:crypto';
import { COLUMNS, type TableName } from './fixtures.js';

export type Record_ = Record<string, string>;

export class SnowApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string | null,
  ) {
    super(message);
  }

  body(): unknown {
    return { error: { message: this.message, detail: this.detail }, status: 'failure' };
  }
}

const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const asString = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export class SnowStore {
  readonly tables = new Map<TableName, Record_[]>();
  readonly columns = new Map<TableName, ReadonlySet<string>>();

  constructor(private readonly now: () => number = Date.now) {
    for (const t of Object.keys(COLUMNS) as TableName[]) {
      this.tables.set(t, []);
      this.columns.set(t, new Set(COLUMNS[t]));
    }
  }

  rows(table: TableName): Record_[] {
    return this.tables.get(table) as Record_[];
  }

  get(table: TableName, sysId: string): Record_ | undefined {
    return this.rows(table).find((r) => r.sys_id === sysId);
  }

  #clean(table: TableName, body: Readonly<Record<string, unknown>>): Record_ {
    const cols = this.columns.get(table) as ReadonlySet<string>;
    const out: Record_ = {};
    for (const [k, v] of Object.entries(body)) if (cols.has(k) && !k.startsWith('sys_')) out[k] = asString(v);
    return out;
  }

  #derive(table: TableName, row: Record_): void {
    if (table === 'sys_user') row.name = [row.first_name, row.last_name].filter(Boolean).join(' ');
  }

  #unique(table: TableName, row: Record_, self?: string): void {
    if (table !== 'sys_user' || !row.user_name) return;
    const other = this.rows(table).find(
      (r) => r.sys_id !== self && r.user_name?.toLowerCase() === row.user_name?.toLowerCase(),
    );
    if (other) {
      throw new SnowApiError(
        403,
        'Operation Failed',
        `Error during insert of sys_user (${row.user_name}): Unique Key violation detected by database ` +
          `(Duplicate entry '${row.user_name}' for key 'user_name')`,
      );
    }
  }

  insert(table: TableName, body: Readonly<Record<string, unknown>>, sysId?: string): Record_ {
    const at = stamp(this.now());
    const blank: Record_ = {};
    for (const c of this.columns.get(table) as ReadonlySet<string>) blank[c] = '';
    const defaults: Record_ =
      table === 'sys_user'
        ? { active: 'true', locked_out: 'false' }
        : table === 'sys_user_group'
          ? { active: 'true' }
          : {};
    const row: Record_ = {
      ...blank,
      ...defaults,
      ...this.#clean(table, body),
      sys_id: sysId ?? randomBytes(16).toString('hex'),
      sys_created_on: at,
      sys_updated_on: at,
      sys_mod_count: '0',
    };
    this.#derive(table, row);
    this.#unique(table, row);
    this.rows(table).push(row);
    return row;
  }

  update(table: TableName, sysId: string, body: Readonly<Record<string, unknown>>): Record_ | undefined {
    const row = this.get(table, sysId);
    if (!row) return undefined;
    const next = { ...row, ...this.#clean(table, body) };
    this.#derive(table, next);
    this.#unique(table, next, sysId);
    Object.assign(row, next, {
      sys_updated_on: stamp(this.now()),
      sys_mod_count: String(Number(row.sys_mod_count ?? '0') + 1),
    });
    return row;
  }

  delete(table: TableName, sysId: string): boolean {
    const rows = this.rows(table);
    const at = rows.findIndex((r) => r.sys_id === sysId);
    if (at < 0) return false;
    rows.splice(at, 1);
    if (table === 'sys_user' || table === 'sys_user_group') {
      const ref = table === 'sys_user' ? 'user' : 'group';
      const members = this.rows('sys_user_grmember');
      for (let i = members.length - 1; i >= 0; i--) if (members[i]?.[ref] === sysId) members.splice(i, 1);
    }
    return true;
  }

  reset(): void {
    for (const rows of this.tables.values()) rows.length = 0;
  }
}
