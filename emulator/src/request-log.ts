/** The request log (GET /__emulator/requests) in the EmulatorState's SQLite storage: one row per call of every service, trimmed to the newest entries. */

/** One entry of the request log (GET /__emulator/requests). */
export interface LogEntry {
  /** The AWS service called (omics, s3, logs, sts). */
  service: string;
  operation: string;
  at: string;
  status: number;
  requestId?: string;
  runId?: string;
}

/** The request log keeps the newest entries only. */
export const LOG_LIMIT = 50_000;

type Row = Record<string, SqlStorageValue>;

/** Appends, reads and clears the log; the table itself is created with the others (store.ts). */
export class RequestLog {
  readonly #sql: SqlStorage;
  #inserts = 0;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Appends to the request log, trimming it to the newest LOG_LIMIT entries now and then. */
  append(entry: LogEntry): void {
    this.#sql.exec(
      "INSERT INTO request_log (service, at, operation, status, request_id, run_id) VALUES (?, ?, ?, ?, ?, ?)",
      entry.service,
      entry.at,
      entry.operation,
      entry.status,
      entry.requestId ?? null,
      entry.runId ?? null,
    );
    this.#inserts += 1;
    if (this.#inserts % 500 === 0) {
      this.#sql.exec("DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?", LOG_LIMIT);
    }
  }

  /**
   * The request log, oldest first, optionally only entries at or after `since`, with one request
   * id, or logged after the entry numbered `afterSeq`. `lastSeq` numbers the last entry returned
   * (or echoes `afterSeq` / 0 when none is), so a reader can page through a growing log.
   */
  read(filter: { since?: string; requestId?: string; afterSeq?: number; limit: number }): { entries: LogEntry[]; lastSeq: number } {
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
      .exec<Row>(`SELECT seq, service, at, operation, status, request_id, run_id FROM request_log ${where} ORDER BY seq LIMIT ?`, ...params, filter.limit)
      .toArray()
      .map((r) => {
        lastSeq = Number(r.seq);
        const e: LogEntry = { service: String(r.service), operation: String(r.operation), at: String(r.at), status: Number(r.status) };
        if (r.request_id !== null) e.requestId = String(r.request_id);
        if (r.run_id !== null) e.runId = String(r.run_id);
        return e;
      });
    return { entries, lastSeq };
  }

  /** Empties the request log. */
  clear(): void {
    this.#sql.exec("DELETE FROM request_log");
  }
}
