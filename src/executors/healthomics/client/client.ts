/**
 * Typed AWS HealthOmics client for the operations a WES run needs: StartRun, GetRun,
 * ListRunTasks, GetRunTask, CancelRun, DeleteRun, GetWorkflow, and ListWorkflows for the workflow catalog
 * (restJson1, SigV4 through aws4fetch).
 *
 * Every operation resolves to an `OmicsResult` and never throws for HTTP, network or timeout
 * failures: results are plain data so they cross Durable Object RPC intact. The client does not
 * retry; `OmicsError.retryable` tells the caller (whose alarm schedule is the retry loop)
 * whether trying again later makes sense.
 *
 * HTTP bindings, status codes and query names are those of the API model
 * (../shared/spec/omics/botocore/service-2.json).
 */
import { localOmicsError, type OmicsResult } from "./errors";
import { OmicsTransport, type HealthOmicsClientOptions, type OmicsRequest } from "./transport";
import {
  START_RUN_MEMBERS,
  type CreateWorkflowInput,
  type CreateWorkflowOutput,
  type GetRunOptions,
  type GetRunOutput,
  type GetRunTaskOutput,
  type GetWorkflowOptions,
  type GetWorkflowOutput,
  type ListAllRunTasksOptions,
  type ListRunTasksOptions,
  type ListRunTasksOutput,
  type ListWorkflowsOptions,
  type ListWorkflowsOutput,
  type OmicsOperation,
  type StartRunInput,
  type StartRunOutput,
  type TaskListItemOutput,
} from "./wire-types";

export type { OmicsError, OmicsResult } from "./errors";
export { classifyOmicsError, parseOmicsError } from "./errors";
export type { HealthOmicsClientOptions, OmicsCallRecord } from "./transport";
export { DEFAULT_TIMEOUT_MS, omicsBaseUrl } from "./transport";
export type * from "./wire-types";

/** Largest ListRunTasks page the model allows (`ListRunTasksRequestMaxResultsInteger`, 1–100). */
const MAX_PAGE_SIZE = 100;

/**
 * Builds a path from a template, URL-encoding each label. The SDK refuses an empty label
 * ("Empty value provided for input HTTP label"); so does this, before any network call.
 */
function path(parts: TemplateStringsArray, ...labels: string[]): { ok: true; path: string } | { ok: false; result: OmicsResult<never> } {
  let out = parts[0] ?? "";
  for (const [i, label] of labels.entries()) {
    if (typeof label !== "string" || label === "") {
      const message = `Empty value provided for an HTTP label of ${parts.join("{…}")}`;
      return { ok: false, result: { ok: false, error: localOmicsError("ValidationException", message) } };
    }
    out += encodeURIComponent(label) + (parts[i + 1] ?? "");
  }
  return { ok: true, path: out };
}

/** Query string from optional scalar and list members (lists repeat the key, as restJson1 does). */
function query(members: Record<string, string | number | readonly string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(members)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  return params;
}

/** HealthOmics client; construct one per set of credentials and reuse it. */
export class HealthOmicsClient {
  readonly #transport: OmicsTransport;

  /** Throws a TypeError only for an invalid `region` (configuration, not a call failure). */
  constructor(options: HealthOmicsClientOptions) {
    this.#transport = new OmicsTransport(options);
  }

  /** The base URL requests go to (`https://workflows-omics.{region}.amazonaws.com` or the endpoint). */
  get baseUrl(): string {
    return this.#transport.baseUrl;
  }

  async #call<T>(operation: OmicsOperation, target: ReturnType<typeof path>, rest: Omit<OmicsRequest, "operation" | "path">): Promise<OmicsResult<T>> {
    if (!target.ok) return target.result;
    return await this.#transport.send<T>({ operation, path: target.path, ...rest });
  }

  /**
   * StartRun: `POST /run` → 201 `{arn, id, status, uuid, runOutputUri, tags, …}`.
   * `requestId` is the idempotency token: HealthOmics answers a repeated StartRun with the same
   * `requestId` with the run it already started, so send the same value on every retry.
   * Only members the model defines are serialised; `undefined` members are left out.
   */
  async startRun(input: StartRunInput): Promise<OmicsResult<StartRunOutput>> {
    const body: Record<string, unknown> = {};
    for (const key of START_RUN_MEMBERS) {
      if (input[key] !== undefined) body[key] = input[key];
    }
    return await this.#call("StartRun", path`/run`, { method: "POST", body });
  }

  /** GetRun: `GET /run/{id}` (optionally `?export=DEFINITION`). */
  async getRun(id: string, options: GetRunOptions = {}): Promise<OmicsResult<GetRunOutput>> {
    return await this.#call("GetRun", path`/run/${id}`, {
      method: "GET",
      query: query({ export: options.export }),
    });
  }

  /** ListRunTasks: one page of `GET /run/{id}/task?startingToken&maxResults&status`. */
  async listRunTasks(id: string, options: ListRunTasksOptions = {}): Promise<OmicsResult<ListRunTasksOutput>> {
    return await this.#call("ListRunTasks", path`/run/${id}/task`, {
      method: "GET",
      query: query({
        status: options.status,
        startingToken: options.startingToken,
        maxResults: options.maxResults,
      }),
    });
  }

  /**
   * Every task of a run, page after page, in HealthOmics' order. A failure on any page fails the
   * whole walk (no partial list is ever returned as success); so does a page token that repeats
   * (`InvalidResponse`) or more pages than `maxPages` (`PageLimitExceeded`, final).
   * Each page is one ListRunTasks call, counted against its rate quota and subrequest limits.
   */
  async listAllRunTasks(id: string, options: ListAllRunTasksOptions = {}): Promise<OmicsResult<TaskListItemOutput[]>> {
    const maxResults = options.maxResults ?? MAX_PAGE_SIZE;
    const items: TaskListItemOutput[] = [];
    const seen = new Set<string>();
    let startingToken: string | undefined;
    for (let page = 1; ; page++) {
      const result = await this.listRunTasks(id, { maxResults, startingToken, status: options.status });
      if (!result.ok) return result;
      items.push(...(result.value.items ?? []));
      const next = result.value.nextToken;
      if (!next) return { ok: true, value: items };
      if (seen.has(next)) {
        const error = localOmicsError("InvalidResponse", `ListRunTasks for run ${id} returned a page token twice`);
        return { ok: false, error: { ...error, retryable: true } };
      }
      if (options.maxPages !== undefined && page >= options.maxPages) {
        const message = `ListRunTasks for run ${id} has more than ${options.maxPages} pages of ${maxResults}`;
        return { ok: false, error: localOmicsError("PageLimitExceeded", message) };
      }
      seen.add(next);
      startingToken = next;
    }
  }

  /** GetRunTask: `GET /run/{id}/task/{taskId}`. */
  async getRunTask(id: string, taskId: string): Promise<OmicsResult<GetRunTaskOutput>> {
    return await this.#call("GetRunTask", path`/run/${id}/task/${taskId}`, { method: "GET" });
  }

  /** CancelRun: `POST /run/{id}/cancel` → 202 with an empty body; `value` is `undefined`. */
  async cancelRun(id: string): Promise<OmicsResult<undefined>> {
    return await this.#call("CancelRun", path`/run/${id}/cancel`, {
      method: "POST",
      response: "empty",
    });
  }

  /**
   * DeleteRun: `DELETE /run/{id}` → 202 with no body; `value` is `undefined`. Only a finished run
   * can be deleted (ConflictException otherwise); its outputs stay in S3 and its logs in CloudWatch.
   */
  async deleteRun(id: string): Promise<OmicsResult<undefined>> {
    return await this.#call("DeleteRun", path`/run/${id}`, { method: "DELETE", response: "empty" });
  }

  /** GetWorkflow: `GET /workflow/{id}?type&export&workflowOwnerId` (`type` READY2RUN for shared ones). */
  async getWorkflow(id: string, options: GetWorkflowOptions = {}): Promise<OmicsResult<GetWorkflowOutput>> {
    return await this.#call("GetWorkflow", path`/workflow/${id}`, {
      method: "GET",
      query: query({ type: options.type, export: options.export, workflowOwnerId: options.workflowOwnerId }),
    });
  }

  /**
   * CreateWorkflow: `POST /workflow` → 201 `{arn, id, status, tags, uuid}`. A repeated
   * `requestId` answers with the workflow the first request created (the idempotency token).
   */
  async createWorkflow(input: CreateWorkflowInput): Promise<OmicsResult<CreateWorkflowOutput>> {
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) if (value !== undefined) body[key] = value;
    return await this.#call("CreateWorkflow", path`/workflow`, { method: "POST", body });
  }

  /** DeleteWorkflow: `DELETE /workflow/{id}` → 202 with an empty body. */
  async deleteWorkflow(id: string): Promise<OmicsResult<undefined>> {
    return await this.#call("DeleteWorkflow", path`/workflow/${id}`, { method: "DELETE", response: "empty" });
  }

  /** ListWorkflows: one page of `GET /workflow?type&name&startingToken&maxResults` (1–100). */
  async listWorkflows(options: ListWorkflowsOptions = {}): Promise<OmicsResult<ListWorkflowsOutput>> {
    return await this.#call("ListWorkflows", path`/workflow`, {
      method: "GET",
      query: query({ type: options.type, name: options.name, startingToken: options.startingToken, maxResults: options.maxResults }),
    });
  }
}
