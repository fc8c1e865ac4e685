/**
 * Persistence in the EmulatorState Durable Object's SQLite storage: runs (indexed by id, request
 * id and next event time), created workflows, the request log and small settings. Each call
 * touches a few rows; nothing rewrites large blobs.
 */
import type { RunRecord } from "./records";
import type { WorkflowRecord } from "./seed";

/** One entry of the request log (GET /__emulator/requests). */
export interface LogEntry {
  operation: string;
  at: string;
  status: number;
  requestId?: string;
  runId?: string;
}

/** The request log keeps the newest entries only. */
export const LOG_LIMIT = 50_000;

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
`;

type Row = Record<string, SqlStorageValue>;

/** Typed access to the emulator's tables. */
export class Store {
  readonly #sql: SqlStorage;
  #logInserts = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#sql.exec(SCHEMA);
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

  /** A created workflow by id. */
  getWorkflow(id: string): WorkflowRecord | undefined {
    if (!/^\d{1,18}$/.test(id)) return undefined;
    const row = this.#one("SELECT record FROM workflows WHERE id = ?", Number(id));
    return row ? (JSON.parse(String(row.record)) as WorkflowRecord) : undefined;
  }

  /** The workflow CreateWorkflow made for a request id (idempotency). */
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
      .exec<Row>("SELECT record FROM workflows ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(String(r.record)) as WorkflowRecord);
  }

  /** Appends to the request log, trimming it to the newest LOG_LIMIT entries now and then. */
  log(entry: LogEntry): void {
    this.#sql.exec(
      "INSERT INTO request_log (at, operation, status, request_id, run_id) VALUES (?, ?, ?, ?, ?)",
      entry.at,
      entry.operation,
      entry.status,
      entry.requestId ?? null,
      entry.runId ?? null,
    );
    this.#logInserts += 1;
    if (this.#logInserts % 500 === 0) {
      this.#sql.exec("DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?", LOG_LIMIT);
    }
  }

  /**
   * The request log, oldest first, optionally only entries at or after `since`, with one request
   * id, or logged after the entry numbered `afterSeq`. `lastSeq` numbers the last entry returned
   * (or echoes `afterSeq` / 0 when none is), so a reader can page through a growing log.
   */
  readLog(filter: { since?: string; requestId?: string; afterSeq?: number; limit: number }): { entries: LogEntry[]; lastSeq: number } {
    const clauses: string[] = [];
    const params: SqlStorageValue[] = [];
    if (filter.since) {
      clauses.push("at >= ?");
      params.push(filter.since);
    }
    if (filter.requestId) {
      clauses.push("request_id = ?");
      params.push(filter.requestId);
    }
    if (filter.afterSeq !== undefined) {
      clauses.push("seq > ?");
      params.push(filter.afterSeq);
    }
    const where = clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
    let lastSeq = filter.afterSeq ?? 0;
    const entries = this.#sql
      .exec<Row>(`SELECT seq, at, operation, status, request_id, run_id FROM request_log ${where} ORDER BY seq LIMIT ?`, ...params, filter.limit)
      .toArray()
      .map((r) => {
        lastSeq = Number(r.seq);
        const e: LogEntry = { operation: String(r.operation), at: String(r.at), status: Number(r.status) };
        if (r.request_id !== null) e.requestId = String(r.request_id);
        if (r.run_id !== null) e.runId = String(r.run_id);
        return e;
      });
    return { entries, lastSeq };
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

  /** Empties the request log. */
  clearLog(): void {
    this.#sql.exec("DELETE FROM request_log");
  }
}
