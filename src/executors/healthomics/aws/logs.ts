/**
 * The service's CloudWatch Logs client: GetLogEvents only (what run and task logs need). JSON 1.1
 * protocol (`POST /`, `X-Amz-Target: Logs_20140328.GetLogEvents`,
 * `Content-Type: application/x-amz-json-1.1`), SigV4 service `logs` via aws4fetch, errors
 * (`{"__type", "message"}`) mapped onto the same plain-data errors as HealthOmics calls.
 * Reference: botocore `logs/2014-03-28/service-2.json` (protocol, target prefix), the CloudWatch
 * Logs API Reference (GetLogEvents).
 */
import { AwsClient } from "aws4fetch";
import { localOmicsError, parseOmicsError, redactSecrets, type OmicsResult } from "../client/errors";
import type { AwsCredentials } from "../client/transport";

/** Log group HealthOmics writes run, engine and task logs to. */
export const WORKFLOW_LOG_GROUP = "/aws/omics/WorkflowLog";

/** Settings of a `LogsClient`. */
export interface LogsClientOptions {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** A provider of fresh credentials (assumed role), asked before every call. */
  credentials?: (() => Promise<OmicsResult<AwsCredentials>>) | undefined;
  /** A CloudWatch Logs-compatible endpoint (the emulator: AWS_LOGS_ENDPOINT); default AWS's regional one. */
  endpoint?: string | undefined;
  /** Per-call deadline in ms (default 20 000). */
  timeoutMs?: number | undefined;
  /** Stand-in for the global `fetch` (tests). */
  fetch?: typeof fetch | undefined;
}

/** GetLogEvents input (the fields the service uses). */
export interface GetLogEventsInput {
  logGroupName: string;
  logStreamName: string;
  nextToken?: string | undefined;
  /** 1–10,000 events per page (AWS's default and maximum: 10,000). */
  limit?: number | undefined;
  startFromHead?: boolean | undefined;
}

/** One log event. */
export interface LogEvent {
  timestamp: number;
  message: string;
}

/** One GetLogEvents page. AWS documents both tokens as never null; a missing one is an invalid response here. */
export interface LogEventsPage {
  events: LogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

const REGION = /^[a-z0-9-]{1,40}$/;

/** Base URL of CloudWatch Logs in `region`, or `endpoint` as given. */
export function logsBaseUrl(region: string, endpoint?: string): string {
  if (endpoint) return endpoint.replace(/\/+$/, "");
  if (!REGION.test(region)) throw new TypeError(`Invalid AWS region: ${JSON.stringify(region)}`);
  return `https://logs.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

function parsePage(value: unknown): LogEventsPage | undefined {
  if (!value || typeof value !== "object") return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.nextForwardToken !== "string" || typeof o.nextBackwardToken !== "string") return undefined;
  const raw = Array.isArray(o.events) ? o.events : [];
  const events: LogEvent[] = [];
  for (const e of raw) {
    if (!e || typeof e !== "object") return undefined;
    const { timestamp, message: text } = e as Record<string, unknown>;
    events.push({ timestamp: typeof timestamp === "number" ? timestamp : 0, message: typeof text === "string" ? text : "" });
  }
  return { events, nextForwardToken: o.nextForwardToken, nextBackwardToken: o.nextBackwardToken };
}

/** Signs and sends CloudWatch Logs calls. Never throws: every outcome is an `OmicsResult`. */
export class LogsClient {
  readonly #options: LogsClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: LogsClientOptions) {
    this.#options = options;
    const f = options.fetch ?? fetch;
    // workerd's fetch throws "Illegal invocation" unless called with globalThis as receiver.
    this.#fetch = (input, init) => f.call(globalThis, input, init);
  }

  async #credentials(): Promise<OmicsResult<AwsCredentials>> {
    if (this.#options.credentials) return this.#options.credentials();
    const { accessKeyId, secretAccessKey, sessionToken } = this.#options;
    return { ok: true, value: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey } };
  }

  /** GetLogEvents: one page of a stream. A missing stream is `ResourceNotFoundException`. */
  async getLogEvents(input: GetLogEventsInput): Promise<OmicsResult<LogEventsPage>> {
    const current = await this.#credentials();
    if (!current.ok) return current;
    const secrets = [current.value.secretAccessKey, current.value.sessionToken, current.value.accessKeyId];
    const timeoutMs = this.#options.timeoutMs ?? 20_000;
    const signal = AbortSignal.timeout(timeoutMs);
    const what = `CloudWatch Logs GetLogEvents of ${input.logStreamName}`;
    let response: Response;
    let text: string;
    try {
      const signer = new AwsClient({ ...current.value, service: "logs", region: this.#options.region, retries: 0 });
      const signed = await signer.sign(`${logsBaseUrl(this.#options.region, this.#options.endpoint)}/`, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.GetLogEvents" },
        body: JSON.stringify(input),
        signal,
      });
      response = await this.#fetch(signed);
      text = await response.text();
    } catch (e) {
      const timedOut = signal.aborted;
      return {
        ok: false,
        error: localOmicsError(
          timedOut ? "Timeout" : "NetworkError",
          redactSecrets(`${what} failed: ${timedOut ? `no answer within ${timeoutMs} ms` : message(e)}`, secrets),
        ),
      };
    }
    if (!response.ok) {
      const parsed = parseOmicsError(response.status, response.headers, text);
      return { ok: false, error: { ...parsed, message: redactSecrets(`${what}: ${parsed.message}`, secrets) } };
    }
    let page: LogEventsPage | undefined;
    try {
      page = parsePage(JSON.parse(text));
    } catch {
      page = undefined;
    }
    return page ? { ok: true, value: page } : { ok: false, error: localOmicsError("InvalidResponse", `${what}: not a GetLogEvents page`) };
  }
}
