/**
 * The JSON the service stores in D1 and echoes in WES answers, as valibot schemas: the D1 JSON
 * columns are typed from them (src/db/schema.ts), and tests export them as JSON Schema and compare
 * them with the official WES schemas (test/node/json-shapes.test.ts), as the OpenAPI document will.
 * The Worker imports only their types, so they cost the bundle nothing.
 */
import * as v from "valibot";

/** WES `tags`: string keys and values. */
export const TagsSchema = v.record(v.string(), v.string());

/** The RunRequest as stored and echoed by GET /runs/{id} (official RunRequest schema), after normalisation by submission.ts. */
export const RunRequestSchema = v.object({
  workflow_params: v.record(v.string(), v.unknown()),
  workflow_type: v.string(),
  workflow_type_version: v.string(),
  tags: TagsSchema,
  workflow_engine_parameters: v.record(v.string(), v.string()),
  workflow_engine: v.optional(v.string()),
  workflow_engine_version: v.optional(v.string()),
  workflow_url: v.string(),
});

/** `run_log.system_logs` and a task's `system_logs`: lines of text. */
export const SystemLogsSchema = v.array(v.string());

/** RunLog `outputs`: the workflow's outputs as HealthOmics reports them (any JSON object). */
export const OutputsSchema = v.record(v.string(), v.unknown());

/** The stored RunRequest. */
export type RunRequestBody = v.InferOutput<typeof RunRequestSchema>;
/** WES tags. */
export type Tags = v.InferOutput<typeof TagsSchema>;
/** System log lines. */
export type SystemLogs = v.InferOutput<typeof SystemLogsSchema>;
/** Run outputs. */
export type Outputs = v.InferOutput<typeof OutputsSchema>;
