/**
 * D1 schema (drizzle). Migrations are generated from this file into migrations/ with
 * `npm run db:generate` and applied with `wrangler d1 migrations apply`; docs/architecture.md
 * documents every table. D1 is the system of record: every read endpoint answers from here.
 */
import { sql } from "drizzle-orm";
import { customType, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Outputs, RunRequestBody, SystemLogs, Tags } from "../wes/json-shapes";
import type { WesState } from "../wes/states";

/** A BLOB column as Uint8Array (drizzle's own blob type wants Node's Buffer). */
const bytes = customType<{ data: Uint8Array; driverData: ArrayBuffer | Uint8Array }>({
  dataType: () => "blob",
  toDriver: (value) => value,
  fromDriver: (value) => (value instanceof Uint8Array ? value : new Uint8Array(value)),
});

/** One row per WES run. JSON columns hold exactly what the API echoes. */
export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    owner: text("owner").notNull(),
    state: text("state").notNull().$type<WesState>(),
    /** The normalised RunRequest, echoed by GET /runs/{id}. */
    request: text("request", { mode: "json" }).notNull().$type<RunRequestBody>(),
    tags: text("tags", { mode: "json" }).notNull().$type<Tags>(),
    /** Milliseconds since the epoch; with `id` it is the keyset of GET /runs. */
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    startTime: text("start_time"),
    endTime: text("end_time"),
    runName: text("run_name"),
    exitCode: integer("exit_code"),
    systemLogs: text("system_logs", { mode: "json" }).notNull().$type<SystemLogs>().default(sql`'[]'`),
    outputs: text("outputs", { mode: "json" }).notNull().$type<Outputs>().default(sql`'{}'`),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash").notNull(),
    cancelRequestedAt: integer("cancel_requested_at"),
    canceledBy: text("canceled_by"),
    /** How the submitter authenticated (the principal's scheme, e.g. basic, bearer); null for runs older than the column. Audit only. */
    submittedVia: text("submitted_via"),
    /** HealthOmics identifiers and last seen status, filled by the run's Durable Object. */
    omicsRunId: text("omics_run_id"),
    omicsRunUuid: text("omics_run_uuid"),
    omicsRunArn: text("omics_run_arn"),
    omicsStatus: text("omics_status"),
    omicsFailureReason: text("omics_failure_reason"),
    omicsStatusMessage: text("omics_status_message"),
    /** PRIVATE or READY2RUN, resolved from GetWorkflow at submit time (null: let HealthOmics decide). */
    omicsWorkflowType: text("omics_workflow_type"),
    /** When the scheduled sweep last checked this live run's Durable Object (ms). */
    sweptAt: integer("swept_at"),
    /** The workflow package (`workflow_packages.hash`) a run of submitted workflow files uses; null for `healthomics:` workflows. */
    packageHash: text("package_hash"),
  },
  (t) => [
    index("runs_owner_created").on(t.owner, t.createdAt, t.id),
    index("runs_created").on(t.createdAt, t.id),
    // State filters of GET /runs (one range per state, newest first) and service-info's counts.
    index("runs_owner_state_created").on(t.owner, t.state, t.createdAt, t.id),
    index("runs_state_created").on(t.state, t.createdAt, t.id),
    // The name filter of GET /runs (the requested run name, exact).
    index("runs_owner_name_created").on(t.owner, t.runName, t.createdAt, t.id),
    index("runs_name_created").on(t.runName, t.createdAt, t.id),
    index("runs_state").on(t.state, t.sweptAt),
    // Retention: final runs by when they last changed (their finish), oldest first.
    index("runs_state_updated").on(t.state, t.updatedAt),
    index("runs_omics_uuid").on(t.omicsRunUuid),
    // Events without the uuid: a live run by HealthOmics run id (ids are reused after deletion).
    index("runs_omics_run_id").on(t.omicsRunId, t.state),
    // Retirement: is any run of a package still live?
    index("runs_package_state").on(t.packageHash, t.state),
    uniqueIndex("runs_owner_idempotency").on(t.owner, t.idempotencyKey),
  ],
);

/**
 * Files attached to a run submission (`workflow_attachment`). Their bytes are in the ATTACHMENTS
 * R2 bucket under `objectKey`; `data` holds the bytes of attachments stored before R2 (rows ≤ 2 MB)
 * until they are moved (attachments-move.ts), and is null after.
 */
export const attachments = sqliteTable(
  "attachments",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    contentType: text("content_type"),
    size: integer("size").notNull(),
    data: bytes("data"),
    objectKey: text("object_key"),
    sha256: text("sha256"),
  },
  (t) => [primaryKey({ columns: [t.runId, t.path] }), index("attachments_unmoved").on(t.objectKey)],
);

/**
 * Workflow packages: submitted workflow files registered once as a HealthOmics private workflow.
 * `hash` is the package's content address; CreateWorkflow's `requestId` is `<hash>-<generation>`,
 * and the generation goes up when a package is retired or FAILED, so a re-creation never replays
 * the idempotency token of a deleted workflow.
 */
export const workflowPackages = sqliteTable(
  "workflow_packages",
  {
    hash: text("hash").primaryKey(),
    generation: integer("generation").notNull().default(1),
    engine: text("engine").notNull(),
    main: text("main").notNull(),
    /** Zip size in bytes. */
    size: integer("size").notNull(),
    /** Key of the zip in the ATTACHMENTS bucket (`packages/<hash>.zip`). */
    zipKey: text("zip_key").notNull(),
    /** Where it came from: `{kind: "attachments" | "https" | "trs", url?, trs?}`. */
    source: text("source", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    /** The HealthOmics workflow of this generation, once CreateWorkflow answered. */
    workflowId: text("workflow_id"),
    /**
     * CREATING, ACTIVE, FAILED, DELETED (HealthOmics' WorkflowStatus), null before CreateWorkflow,
     * or RETIRING while the cron sweep deletes the workflow (runs of the package wait meanwhile).
     */
    status: text("status"),
    statusMessage: text("status_message"),
    firstUsedAt: integer("first_used_at").notNull(),
    lastUsedAt: integer("last_used_at").notNull(),
    /** Submissions of this package so far; retirement compares it before and after its deletes to see a submission that came meanwhile. */
    uses: integer("uses").notNull().default(0),
    /** The parameter template HealthOmics derived for this generation's workflow (GetWorkflow), once seen ACTIVE. */
    parameterTemplate: text("parameter_template", { mode: "json" }).$type<Record<string, { optional?: boolean; description?: string }>>(),
    /** When the package was last retired (its workflow deleted after WES_PACKAGE_RETIRE_DAYS unused), or while RETIRING when the retirement was claimed; null: never. */
    retiredAt: integer("retired_at"),
  },
  (t) => [index("workflow_packages_workflow").on(t.workflowId), index("workflow_packages_last_used").on(t.lastUsedAt)],
);

/** Who submitted a package's content: only they (and admins) may name its workflow as `healthomics:<id>`. */
export const workflowPackageUsers = sqliteTable(
  "workflow_package_users",
  {
    hash: text("hash")
      .notNull()
      .references(() => workflowPackages.hash, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hash, t.owner] })],
);

/** One row per HealthOmics task of a run, upserted by task id, listed in HealthOmics order. */
export const tasks = sqliteTable(
  "tasks",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    /** Order in which HealthOmics lists the task (ListRunTasks order); pages are keyed on it. */
    position: integer("position").notNull(),
    name: text("name").notNull(),
    status: text("status"),
    startTime: text("start_time"),
    endTime: text("end_time"),
    exitCode: integer("exit_code"),
    systemLogs: text("system_logs", { mode: "json" }).notNull().$type<SystemLogs>().default(sql`'[]'`),
    stdout: text("stdout"),
    stderr: text("stderr"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.id] }), index("tasks_run_position").on(t.runId, t.position, t.id)],
);

/**
 * The tags of each run, one row per tag, so GET /runs can filter by tag through an index instead
 * of reading every run's JSON. Written with the run (tags never change) and deleted with it; the
 * run's owner and creation time are copied so a tag filter walks its index newest first.
 */
export const runTags = sqliteTable(
  "run_tags",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    owner: text("owner").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.key] }),
    index("run_tags_owner_lookup").on(t.owner, t.key, t.value, t.createdAt, t.runId),
    index("run_tags_lookup").on(t.key, t.value, t.createdAt, t.runId),
  ],
);

/**
 * What stays of a deleted run: enough to answer an idempotent replay of its submission with a 409
 * naming the deletion (owner + key), to let no late alarm, event or sweep bring its Durable Object
 * back (the run id), and to keep counting it against the owner's submissions per minute.
 */
export const runTombstones = sqliteTable(
  "run_tombstones",
  {
    runId: text("run_id").primaryKey(),
    owner: text("owner").notNull(),
    idempotencyKey: text("idempotency_key"),
    /** When the run was submitted (ms): the per-minute submission limit still counts it. */
    createdAt: integer("created_at").notNull(),
    /** When it was deleted (ms). */
    deletedAt: integer("deleted_at").notNull(),
    /** `request` (DELETE /runs/{id}) or `retention` (the cron sweep). */
    reason: text("reason").notNull().$type<DeletionReason>(),
    /** Who asked (the owner or an admin); null for retention. */
    deletedBy: text("deleted_by"),
  },
  (t) => [
    index("run_tombstones_owner_key").on(t.owner, t.idempotencyKey),
    index("run_tombstones_owner_created").on(t.owner, t.createdAt),
    index("run_tombstones_reason_deleted").on(t.reason, t.deletedAt),
  ],
);

/** Why a run was deleted. */
export type DeletionReason = "request" | "retention";

/** Small service-wide secrets generated on first use (e.g. the page-token signing key). */
export const serviceKeys = sqliteTable("service_keys", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Row types. */
export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = typeof tasks.$inferInsert;
export type RunTagRow = typeof runTags.$inferSelect;
export type RunTombstoneRow = typeof runTombstones.$inferSelect;
