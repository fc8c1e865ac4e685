/**
 * Persistence in the EmulatorState Durable Object's SQLite storage: runs (indexed by id, request
 * id and next event time), created workflows, runs whose outputs are due, small settings, and
 * (request-log.ts) the request log. Each call touches a few rows; nothing rewrites large blobs.
 */
import type { RunRecord } from "./records";
import { RequestLog } from "./request-log";
import type { WorkflowRecord } from "./seed";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  name TEXT,
  record TEXT NOT NULL,
  next_event_at INTEGER,
  announced_until INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_next_event ON runs(next_event_at) WHERE next_event_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS workflows (
  id INTEGER PRIMARY KEY,
  request_id TEXT UNIQUE,
  name TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS request_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  operation TEXT NOT NULL,
  status INTEGER NOT NULL,
  request_id TEXT,
  run_id TEXT
);
CREATE INDEX IF NOT EXISTS request_log_request_id ON request_log(request_id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_outputs (
  run_id INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  run TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_outputs_bucket ON pending_outputs(bucket, due_at);
`;

/** Columns added after a table was first created (state from older emulator versions is kept). */
const ADDED_COLUMNS: [table: string, column: string, definition: string][] = [
  ["request_log", "service", "TEXT NOT NULL DEFAULT 'omics'"],
  ["workflows", "deleted", "INTEGER NOT NULL DEFAULT 0"],
];

type Row = Record<string, SqlStorageValue>;

/** Typed access to the emulator's tables. */
export class Store {
  readonly #sql: SqlStorage;
  /** The request log (GET /__emulator/requests), in the same database. */
  readonly requests: RequestLog;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#sql.exec(SCHEMA);
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const columns = this.#sql.exec<Row>(`PRAGMA table_info(${table})`).toArray();
      if (!columns.some((c) => c.name === column)) this.#sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
    this.requests = new RequestLog(sql);
  }

  #one(query: string, ...params: SqlStorageValue[]): Row | undefined {
    return this.#sql.exec<Row>(query, ...params).toArray()[0];
  }

  /** A small JSON setting. */
  getSetting<T>(key: string): T | undefined {
    const row = this.#one("SELECT value FROM settings WHERE key = ?", key);
    return row ? (JSON.parse(String(row.value)) as T) : undefined;
  }

  /** Stores a small JSON setting (undefined deletes it). */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) this.#sql.exec("DELETE FROM settings WHERE key = ?", key);
    else this.#sql.exec("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }

  /** Next value of a persisted counter, starting at `start`. */
  nextCounter(key: string, start: number, step = 1): number {
    const current = this.getSetting<number>(key) ?? start;
    this.setSetting(key, current + step);
    return current;
  }

  /** A run by id. */
  getRun(id: string): RunRecord | undefined {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const row = this.#one("SELECT record FROM runs WHERE id = ?", Number(id));
    return row ? (JSON.parse(String(row.record)) as RunRecord) : undefined;
  }

  /** The run StartRun created for a request id (idempotency). */
  getRunByRequestId(requestId: string): RunRecord | undefined {
    const row = this.#one("SELECT record FROM runs WHERE request_id = ?", requestId);
    return row ? (JSON.parse(String(row.record)) as RunRecord) : undefined;
  }

  /** Inserts a new run. */
  insertRun(run: RunRecord, nextEventAt: number | null): void {
    this.#sql.exec(
      "INSERT INTO runs (id, request_id, name, record, next_event_at, announced_until) VALUES (?, ?, ?, ?, ?, ?)",
      Number(run.id),
      run.requestId,
      run.name ?? null,
      JSON.stringify(run),
      nextEventAt,
      run.createdAt - 1,
    );
  }

  /** Rewrites a run's record (after a cancel). */
  updateRun(run: RunRecord, nextEventAt: number | null): void {
    this.#sql.exec("UPDATE runs SET record = ?, next_event_at = COALESCE(?, next_event_at) WHERE id = ?", JSON.stringify(run), nextEventAt, Number(run.id));
  }

  /** Removes a run. */
  deleteRun(id: string): void {
    this.#sql.exec("DELETE FROM runs WHERE id = ?", Number(id));
  }

  /** Runs newest first, after the id `before` (exclusive), optionally by exact name. */
  listRuns(before: number | undefined, limit: number, name?: string): RunRecord[] {
    const clauses: string[] = [];
    const params: SqlStorageValue[] = [];
    if (before !== undefined) {
      clauses.push("id < ?");
      params.push(before);
    }
    if (name !== undefined) {
      clauses.push("name = ?");
      params.push(name);
    }
    const where = clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
    return this.#sql
      .exec<Row>(`SELECT record FROM runs ${where} ORDER BY id DESC LIMIT ?`, ...params, limit)
      .toArray()
      .map((r) => JSON.parse(String(r.record)) as RunRecord);
  }

  /** Runs with an unannounced transition due at or before `now` (for EventBridge). */
  runsDueForEvents(now: number, limit: number): { run: RunRecord; announcedUntil: number }[] {
    return this.#sql
      .exec<Row>("SELECT record, announced_until FROM runs WHERE next_event_at IS NOT NULL AND next_event_at <= ? ORDER BY next_event_at LIMIT ?", now, limit)
      .toArray()
      .map((r) => ({ run: JSON.parse(String(r.record)) as RunRecord, announcedUntil: Number(r.announced_until) }));
  }

  /** Marks a run's transitions announced up to `until`; `next` is its next transition (null: none). */
  markAnnounced(id: string, until: number, next: number | null): void {
    this.#sql.exec("UPDATE runs SET announced_until = ?, next_event_at = ? WHERE id = ?", until, next, Number(id));
  }

  /** Starts (or stops) event tracking for every run: from now on, not retroactively. */
  resetEventTracking(now: number, enabled: boolean): void {
    if (enabled) this.#sql.exec("UPDATE runs SET announced_until = ?, next_event_at = ?", now, now);
    else this.#sql.exec("UPDATE runs SET next_event_at = NULL");
  }

  /** Earliest pending event time, if any. */
  nextEventAt(): number | undefined {
    const row = this.#one("SELECT MIN(next_event_at) AS at FROM runs WHERE next_event_at IS NOT NULL");
    return row && row.at !== null ? Number(row.at) : undefined;
  }

  /** A created workflow by id (not deleted ones). */
  getWorkflow(id: string): WorkflowRecord | undefined {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const row = this.#one("SELECT record FROM workflows WHERE id = ? AND deleted = 0", Number(id));
    return row ? (JSON.parse(String(row.record)) as WorkflowRecord) : undefined;
  }

  /** Marks a created workflow deleted: gone for every lookup but its request id, which keeps replaying CreateWorkflow's answer. */
  deleteWorkflow(id: string): void {
    this.#sql.exec("UPDATE workflows SET deleted = 1 WHERE id = ?", Number(id));
  }

  /** Created workflows that are not deleted (the "maximum workflows" quota counts them). */
  countWorkflows(): number {
    return Number(this.#one("SELECT COUNT(*) AS n FROM workflows WHERE deleted = 0")!.n);
  }

  /** The workflow CreateWorkflow made for a request id (idempotency), deleted or not. */
  getWorkflowByRequestId(requestId: string): WorkflowRecord | undefined {
    const row = this.#one("SELECT record FROM workflows WHERE request_id = ?", requestId);
    return row ? (JSON.parse(String(row.record)) as WorkflowRecord) : undefined;
  }

  /** Inserts a created workflow. */
  insertWorkflow(workflow: WorkflowRecord): void {
    this.#sql.exec(
      "INSERT INTO workflows (id, request_id, name, record) VALUES (?, ?, ?, ?)",
      Number(workflow.id),
      workflow.requestId ?? null,
      workflow.name,
      JSON.stringify(workflow),
    );
  }

  /** Every created workflow, by id (few: workflows are made by hand or by tests). */
  listWorkflows(): WorkflowRecord[] {
    return this.#sql
      .exec<Row>("SELECT record FROM workflows WHERE deleted = 0 ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(String(r.record)) as WorkflowRecord);
  }

  /** Runs by id, or by StartRun request id: those found (at most `ids.length`). */
  getRuns(ids: { runIds?: string[]; requestIds?: string[] }): RunRecord[] {
    const found: RunRecord[] = [];
    for (const id of ids.runIds ?? []) {
      const run = this.getRun(id);
      if (run) found.push(run);
    }
    for (const id of ids.requestIds ?? []) {
      const run = this.getRunByRequestId(id);
      if (run) found.push(run);
    }
    return found;
  }

  /** Remembers that a run writes its outputs into `bucket` at `dueAt` (a copy of the run: outputs outlive DeleteRun). */
  addPendingOutputs(run: RunRecord, bucket: string, dueAt: number): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO pending_outputs (run_id, bucket, due_at, run) VALUES (?, ?, ?, ?)",
      Number(run.id),
      bucket,
      dueAt,
      JSON.stringify(run),
    );
  }

  /** Forgets a run's pending outputs (it was cancelled, or they are written). */
  removePendingOutputs(runId: string): void {
    this.#sql.exec("DELETE FROM pending_outputs WHERE run_id = ?", Number(runId));
  }

  /** Runs whose outputs are due in `bucket` by `now`. */
  dueOutputs(bucket: string, now: number): RunRecord[] {
    return this.#sql
      .exec<Row>("SELECT run FROM pending_outputs WHERE bucket = ? AND due_at <= ? ORDER BY due_at LIMIT 100", bucket, now)
      .toArray()
      .map((r) => JSON.parse(String(r.run)) as RunRecord);
  }
}
