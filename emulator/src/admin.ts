/**
 * The unsigned local endpoints under /__emulator/ (the contract is in docs/emulator.md):
 * the request log, fault rules and runtime settings.
 */
import { parseFaultRule, type FaultRule } from "./faults";
import { model } from "./model";
import { S3_OPERATIONS } from "./s3/request";
import { runTimeline } from "./run-timeline";
import { describeConfig, type EmulatorConfig } from "./settings";
import { LOG_LIMIT } from "./request-log";
import type { Store } from "./store";

/** A /__emulator request as the Worker forwards it. */
export interface AdminRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
}

/** Status and JSON body (as text: it crosses the RPC boundary) to answer. */
export interface AdminResponse {
  status: number;
  body: string;
}

/** What the endpoints act on (owned by the Durable Object). */
export interface AdminDeps {
  store: Store;
  config: () => EmulatorConfig;
  faults: () => FaultRule[];
  addFault: (rule: FaultRule) => void;
  clearFaults: () => void;
  patchConfig: (patch: unknown) => Promise<EmulatorConfig>;
}

function parseJson(body: string): unknown {
  if (body.trim() === "") return {};
  return JSON.parse(body);
}

const bad = (message: string): { status: number; body: unknown } => ({ status: 400, body: { error: message } });

/** Every operation a fault rule may name: HealthOmics', S3's, CloudWatch Logs' and STS's. */
const ALL_OPERATIONS = [...Object.keys(model.operations), ...S3_OPERATIONS, "GetLogEvents", "AssumeRole"];

/** Most runs one POST /__emulator/timelines may ask for. */
const TIMELINE_BATCH = 1000;

function idList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new Error(`${name} must be an array of strings`);
  return value as string[];
}

/** POST /__emulator/timelines: {runIds?: [...], requestIds?: [...]} → {timelines, missing}. */
function timelines(body: unknown, deps: AdminDeps): { status: number; body: unknown } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return bad("body must be a JSON object {runIds?, requestIds?}");
  const b = body as Record<string, unknown>;
  const runIds = idList(b.runIds, "runIds") ?? [];
  const requestIds = idList(b.requestIds, "requestIds") ?? [];
  if (runIds.length + requestIds.length > TIMELINE_BATCH) return bad(`at most ${TIMELINE_BATCH} runIds + requestIds per call`);
  const now = Date.now();
  const found = deps.store.getRuns({ runIds, requestIds });
  const seen = new Set(found.flatMap((r) => [r.id, r.requestId]));
  const missing = [...runIds, ...requestIds].filter((id) => !seen.has(id));
  return { status: 200, body: { now: new Date(now).toISOString(), timelines: found.map((r) => runTimeline(r, now)), missing } };
}

/** Serves one /__emulator request. */
export async function admin(req: AdminRequest, deps: AdminDeps): Promise<AdminResponse> {
  const res = await serve(req, deps);
  return { status: res.status, body: JSON.stringify(res.body) };
}

async function serve(req: AdminRequest, deps: AdminDeps): Promise<{ status: number; body: unknown }> {
  const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
  try {
    const timeline = /^GET \/__emulator\/runs\/([^/]+)\/timeline$/.exec(route);
    if (timeline) {
      const run = deps.store.getRun(decodeURIComponent(timeline[1]!));
      return run ? { status: 200, body: runTimeline(run, Date.now()) } : { status: 404, body: { error: `no run ${timeline[1]}` } };
    }
    switch (route) {
      case "GET /__emulator/requests": {
        let afterSeq: number | undefined;
        if (req.query.afterSeq !== undefined) {
          afterSeq = Number(req.query.afterSeq);
          if (!Number.isInteger(afterSeq) || afterSeq < 0) return bad("afterSeq must be a non-negative integer");
        }
        const { entries, lastSeq } = deps.store.requests.read({ since: req.query.since, requestId: req.query.requestId, afterSeq, limit: LOG_LIMIT });
        return { status: 200, body: { requests: entries, lastSeq } };
      }
      case "POST /__emulator/timelines":
        return timelines(parseJson(req.body), deps);
      case "DELETE /__emulator/requests":
        deps.store.requests.clear();
        return { status: 200, body: { ok: true } };
      case "GET /__emulator/faults":
        return { status: 200, body: { faults: deps.faults() } };
      case "POST /__emulator/faults": {
        const rule = parseFaultRule(parseJson(req.body), ALL_OPERATIONS, crypto.randomUUID());
        deps.addFault(rule);
        return { status: 201, body: rule };
      }
      case "DELETE /__emulator/faults":
        deps.clearFaults();
        return { status: 200, body: { ok: true } };
      case "GET /__emulator/config":
        return { status: 200, body: describeConfig(deps.config()) };
      case "PUT /__emulator/config":
        return { status: 200, body: describeConfig(await deps.patchConfig(parseJson(req.body))) };
      default:
        return { status: 404, body: { error: `no such emulator endpoint: ${route}` } };
    }
  } catch (error) {
    return bad(error instanceof Error ? error.message : String(error));
  }
}
