/**
 * The unsigned local endpoints under /__emulator/ (the contract is in docs/emulator.md):
 * the request log, fault rules and runtime settings.
 */
import { parseFaultRule, type FaultRule } from "./faults";
import { model } from "./model";
import { describeConfig, type EmulatorConfig } from "./settings";
import { LOG_LIMIT, type Store } from "./store";

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

/** Serves one /__emulator request. */
export async function admin(req: AdminRequest, deps: AdminDeps): Promise<AdminResponse> {
  const res = await serve(req, deps);
  return { status: res.status, body: JSON.stringify(res.body) };
}

async function serve(req: AdminRequest, deps: AdminDeps): Promise<{ status: number; body: unknown }> {
  const route = `${req.method} ${req.path.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /__emulator/requests": {
        const requests = deps.store.readLog({ since: req.query.since, requestId: req.query.requestId, limit: LOG_LIMIT });
        return { status: 200, body: { requests } };
      }
      case "DELETE /__emulator/requests":
        deps.store.clearLog();
        return { status: 200, body: { ok: true } };
      case "GET /__emulator/faults":
        return { status: 200, body: { faults: deps.faults() } };
      case "POST /__emulator/faults": {
        const rule = parseFaultRule(parseJson(req.body), Object.keys(model.operations), crypto.randomUUID());
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
