/**
 * Wire shapes of the HealthOmics operations this service calls.
 *
 * The shapes are derived from `@aws-sdk/client-omics` with type-only imports, so nothing of the
 * SDK reaches the Worker bundle. The SDK models timestamps as `Date` (it deserialises them);
 * over the wire restJson1 sends them as strings: the model gives every timestamp used here
 * (`RunTimestamp`, `TaskTimestamp`, `WorkflowTimestamp`) `timestampFormat: "iso8601"`, i.e.
 * RFC 3339 (../shared/spec/omics/botocore/service-2.json). `Wire<T>` maps `Date` to `string`.
 *
 * The installed SDK (3.1048) lags the botocore model of 2026-07-16 by a few members
 * (shared/spec/omics/README.md lists them); those are added by hand below, marked "model only".
 */
import type {
  CreateWorkflowRequest,
  CreateWorkflowResponse,
  GetRunResponse,
  GetRunTaskResponse,
  GetWorkflowResponse,
  ListRunTasksResponse,
  ListWorkflowsResponse,
  RunExport,
  StartRunRequest,
  StartRunResponse,
  TaskListItem,
  TaskStatus,
  WorkflowExport,
  WorkflowType,
} from "@aws-sdk/client-omics";

/** `T` as it travels in JSON: every `Date` becomes an RFC 3339 string, recursively. */
export type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** The HealthOmics operations this client performs (names as in the API model). */
export type OmicsOperation =
  | "StartRun"
  | "GetRun"
  | "ListRunTasks"
  | "GetRunTask"
  | "CancelRun"
  | "DeleteRun"
  | "GetWorkflow"
  | "ListWorkflows"
  | "CreateWorkflow"
  | "DeleteWorkflow";

/** JSON document member (`parameters`, `engineSettings`), as the SDK types it. */
type OmicsDocument = Wire<StartRunRequest["parameters"]>;

/** Members present in the newest model but not yet in the installed SDK's StartRunRequest. */
interface StartRunModelOnly {
  /** model only: `ScratchStorageMode` enum. */
  scratchStorageMode?: "LOCAL" | "SHARED" | undefined;
  /** model only: `EngineSettings` document. */
  engineSettings?: OmicsDocument | undefined;
}

/**
 * StartRun body. The model requires `roleArn`, `outputUri` and `requestId`; the SDK types them as
 * `string | undefined` (and `requestId` as optional, since it auto-fills idempotency tokens).
 * Here they are plain required strings: `requestId` must be the same on every retry of one run.
 */
export type StartRunInput = Omit<Wire<StartRunRequest>, "roleArn" | "outputUri" | "requestId"> &
  StartRunModelOnly & {
    roleArn: string;
    outputUri: string;
    requestId: string;
  };

/** StartRun response body (201). */
export type StartRunOutput = Wire<StartRunResponse>;

/** GetRun response body. */
export type GetRunOutput = Wire<GetRunResponse> & StartRunModelOnly;

/** One item of ListRunTasks. */
export type TaskListItemOutput = Wire<TaskListItem> & {
  /** model only: `TaskUuid`. */
  uuid?: string | undefined;
};

/** ListRunTasks response body: one page. */
export type ListRunTasksOutput = Omit<Wire<ListRunTasksResponse>, "items"> & {
  items?: TaskListItemOutput[] | undefined;
};

/** GetRunTask response body. */
export type GetRunTaskOutput = Wire<GetRunTaskResponse> & {
  /** model only: `TaskUuid`. */
  uuid?: string | undefined;
};

/**
 * CreateWorkflow body. The model requires only `requestId` (the idempotency token, 1–128
 * characters); `definitionZip` is a Blob, base64 in restJson1.
 */
export type CreateWorkflowInput = Omit<Wire<CreateWorkflowRequest>, "definitionZip" | "requestId"> & {
  requestId: string;
  definitionZip?: string | undefined;
};

/** CreateWorkflow response body (201): `{arn, id, status, tags, uuid}`. */
export type CreateWorkflowOutput = Wire<CreateWorkflowResponse>;

/** GetWorkflow response body. */
export type GetWorkflowOutput = Wire<GetWorkflowResponse> & {
  /** model only: `WorkflowProfileList`. */
  profiles?: string[] | undefined;
  /** model only: `WorkflowProfileParameterTemplates` (profile name → parameter template). */
  profileParameterTemplates?: Record<string, GetWorkflowResponse["parameterTemplate"]> | undefined;
};

/** Options of GetRun (query `export`, repeated). */
export interface GetRunOptions {
  export?: RunExport[] | undefined;
}

/** Options of one ListRunTasks page (query `startingToken`, `maxResults` 1–100, `status`). */
export interface ListRunTasksOptions {
  startingToken?: string | undefined;
  maxResults?: number | undefined;
  status?: TaskStatus | undefined;
}

/** Options of a walk over every ListRunTasks page. */
export interface ListAllRunTasksOptions {
  /** Page size, 1–100 (default 100, the model's maximum). */
  maxResults?: number | undefined;
  /** Give up (with a `PageLimitExceeded` error) when more pages than this remain. Default: none. */
  maxPages?: number | undefined;
  status?: TaskStatus | undefined;
}

/** ListWorkflows response body (one page: `items`, `nextToken`). */
export type ListWorkflowsOutput = Wire<ListWorkflowsResponse>;

/** One workflow of a ListWorkflows page. */
export type WorkflowListItemOutput = NonNullable<ListWorkflowsOutput["items"]>[number];

/** Options of one ListWorkflows page (query `type`, `name`, `startingToken`, `maxResults` 1–100). */
export interface ListWorkflowsOptions {
  type?: WorkflowType | undefined;
  name?: string | undefined;
  startingToken?: string | undefined;
  maxResults?: number | undefined;
}

/** Options of GetWorkflow (query `type`, `export` repeated, `workflowOwnerId`). */
export interface GetWorkflowOptions {
  type?: WorkflowType | undefined;
  export?: WorkflowExport[] | undefined;
  workflowOwnerId?: string | undefined;
}

/**
 * The StartRun body members the model defines (service-2.json `StartRunRequest`). Only these
 * are serialised, so a caller's stray property never reaches HealthOmics.
 */
export const START_RUN_MEMBERS = [
  "workflowId",
  "workflowType",
  "runId",
  "roleArn",
  "name",
  "cacheId",
  "cacheBehavior",
  "runGroupId",
  "priority",
  "parameters",
  "storageCapacity",
  "outputUri",
  "logLevel",
  "tags",
  "requestId",
  "retentionMode",
  "storageType",
  "workflowOwnerId",
  "workflowVersionName",
  "networkingMode",
  "scratchStorageMode",
  "configurationName",
  "engineSettings",
] as const satisfies readonly (keyof StartRunInput)[];
