/**
 * Structured JSON logs (one object per line, picked up by Workers Logs / `wrangler tail`).
 * Callers pass facts, never credentials: nothing here reads headers or secrets.
 */

/** Severity of a log line. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields attached to a log line; `requestId` and `runId` tie lines together. */
export interface LogFields {
  requestId?: string;
  runId?: string;
  [key: string]: unknown;
}

/** Writes one structured log line. */
export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** A short, safe description of an unknown thrown value (no stack, bounded length). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}
