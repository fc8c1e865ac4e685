/**
 * Reads a POST /runs body — `multipart/form-data` as the spec says (attachments streamed into R2,
 * submission-multipart.ts), the same fields urlencoded (wes-client 5.x when it attaches nothing),
 * or as an `application/json` object as many clients send — into a validated RunSubmission.
 *
 * What real clients send is accepted when the meaning is clear: JSON-valued fields as text fields
 * or as file parts (Dockstore sends workflow_params as a file), a lower-case `workflow_type`
 * (Toil), version spellings like `1.2` for CWL `v1.2`. Which languages are accepted, and what
 * `workflow_url` and `workflow_engine_parameters` may say, is the executor's to decide.
 */
import { badRequest, WesError } from "../errors";
import type { RunExecutor } from "../executors/executor";
import type { StagedFile } from "./attachment-staging";
import type { RunRequestBody } from "./json-shapes";
import { deleteStaged, readMultipart } from "./submission-multipart";
import { clip, normaliseEngineParameters, parseJsonField, requireObject, stringField, validateTags } from "./submission-fields";
import { addFormField, isEmptyValue, readSmallBody, SAPPORO_FIELD, sapporoRefusal } from "./submission-form";
import { canonicalEngine, canonicalType, canonicalVersion, clientEngine } from "./workflow-types";

export type { RunRequestBody } from "./json-shapes";

/**
 * A file sent as `workflow_attachment`, staged in the ATTACHMENTS bucket under `key`. Its bytes
 * are read on demand and bounded, so a large input file is never held in memory.
 */
export interface Attachment {
  path: string;
  contentType: string | null;
  size: number;
  /** Key in the ATTACHMENTS bucket (`runs/<run_id>/attachments/<path>`). */
  key: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** The bytes, when there are at most `maxBytes` of them; a 400 naming the file otherwise. */
  read(maxBytes: number): Promise<Uint8Array>;
}

/** A validated submission, ready for the executor's own checks and then to store. */
export interface RunSubmission {
  request: RunRequestBody;
  attachments: Attachment[];
}

/** Where a submission's attachments are staged: the bucket and the run's key prefix. */
export interface Staging {
  bucket: R2Bucket;
  /** `runs/<run_id>/attachments/`. */
  prefix: string;
}

/** What of the executor reading a submission needs. */
type Rules = Pick<RunExecutor, "checkEngineParameters" | "checkWorkflowUrl"> & { languages: ReturnType<RunExecutor["describe"]>["languages"] };

const FIELDS = [
  "workflow_params",
  "workflow_type",
  "workflow_type_version",
  "tags",
  "workflow_engine_parameters",
  "workflow_engine",
  "workflow_engine_version",
  "workflow_url",
  "workflow_attachment",
] as const;
const TEXT_FIELDS: readonly string[] = FIELDS.filter((f) => f !== "workflow_attachment");
const JSON_FIELDS = new Set(["workflow_params", "tags", "workflow_engine_parameters"]);

/**
 * Reads and validates the submission in `request` for `executor`. Multipart attachments are
 * streamed into `staging` as they arrive; when this throws, nothing it staged is left behind.
 */
export async function readSubmission(request: Request, executor: RunExecutor, staging: Staging): Promise<RunSubmission> {
  const rules: Rules = {
    languages: executor.describe().languages,
    checkEngineParameters: (params) => executor.checkEngineParameters(params),
    checkWorkflowUrl: (url, params) => executor.checkWorkflowUrl(url, params),
  };
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "multipart/form-data") return await fromMultipart(request, rules, staging);
  if (type === "application/json") return await fromJson(request, rules);
  if (type === "application/x-www-form-urlencoded") return await fromUrlencoded(request, rules);
  throw new WesError(
    415,
    `POST /runs takes multipart/form-data (as the WES spec says), application/x-www-form-urlencoded or application/json; got '${clip(type || "no content type")}'.`,
  );
}

/** The staged file as the executor sees it: metadata, and its bytes read from R2 on demand. */
function attachment(bucket: R2Bucket, file: StagedFile): Attachment {
  return {
    ...file,
    async read(maxBytes: number): Promise<Uint8Array> {
      if (file.size > maxBytes)
        throw badRequest(`workflow_attachment '${clip(file.path)}' has ${file.size} bytes, more than the ${maxBytes} that may be read here.`);
      const object = await bucket.get(file.key);
      if (!object) throw new Error(`the staged attachment ${file.key} is missing`);
      return new Uint8Array(await object.arrayBuffer());
    },
  };
}

async function fromMultipart(request: Request, rules: Rules, staging: Staging): Promise<RunSubmission> {
  const { fields, attachments } = await readMultipart(request, TEXT_FIELDS, staging.bucket, staging.prefix);
  try {
    return { request: validate(textFields(fields), rules), attachments: attachments.map((file) => attachment(staging.bucket, file)) };
  } catch (error) {
    await deleteStaged(staging.bucket, attachments);
    throw error;
  }
}

/** wes-client 5.x sends its fields urlencoded when it attaches nothing. */
async function fromUrlencoded(request: Request, rules: Rules): Promise<RunSubmission> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(await readSmallBody(request, "application/x-www-form-urlencoded"))) {
    if (name === "workflow_attachment") throw badRequest("workflow_attachment needs multipart/form-data; an urlencoded body cannot carry files.");
    addFormField(fields, name, value, TEXT_FIELDS);
  }
  return { request: validate(textFields(fields), rules), attachments: [] };
}

/** Form fields (all text) as raw values: the JSON-valued ones parsed. */
function textFields(fields: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, text]) => [name, JSON_FIELDS.has(name) ? jsonFieldText(name, text) : text]));
}

async function fromJson(request: Request, rules: Rules): Promise<RunSubmission> {
  const text = await readSmallBody(request, "application/json");
  const body = requireObject("The JSON body", parseJsonField("The JSON body", text));
  for (const [key, value] of Object.entries(body)) {
    // Sapporo writes both as empty lists when there is nothing to attach.
    if (key === "workflow_attachment" && !isEmptyValue(value))
      throw badRequest("workflow_attachment needs multipart/form-data; a JSON body cannot carry files.");
    if (key === SAPPORO_FIELD && !isEmptyValue(value)) throw sapporoRefusal();
    if (!(FIELDS as readonly string[]).includes(key) && key !== SAPPORO_FIELD)
      throw badRequest(`Unknown field '${clip(key)}'. Accepted fields: ${TEXT_FIELDS.join(", ")}.`);
  }
  // JSON null means absent for every optional field (Toil and wes-client send `"tags": null`);
  // the required fields then get their own "is required" message.
  const raw: Record<string, unknown> = Object.fromEntries(
    Object.entries(body).filter(([key, value]) => value !== null && key !== "workflow_attachment" && key !== SAPPORO_FIELD),
  );
  // Some clients JSON-encode the object fields even inside a JSON body; accept both.
  for (const field of JSON_FIELDS) {
    if (typeof raw[field] === "string") raw[field] = jsonFieldText(field, raw[field] as string);
  }
  return { request: validate(raw, rules), attachments: [] };
}

/** A JSON-valued field sent as text: empty, or the JSON text `null`, is absent. */
function jsonFieldText(field: string, text: string): unknown {
  if (text.trim() === "") return undefined;
  return parseJsonField(field, text) ?? undefined;
}

function validate(raw: Record<string, unknown>, rules: Rules): RunRequestBody {
  const { languages } = rules;
  const workflowUrl = stringField("workflow_url", raw.workflow_url, { required: true, max: 2048 })!;
  const typeText = stringField("workflow_type", raw.workflow_type, { required: true, max: 64 })!;
  const type = canonicalType(languages, typeText);
  if (!type) throw badRequest(`workflow_type '${clip(typeText)}' is not supported; use one of ${Object.keys(languages.types).join(", ")} (NFL is Nextflow).`);

  // The workflow source before the type version: a source that cannot be run is the error that
  // blocks, while a version label is often a client's guess (wes-client labels every WDL draft-2).
  const engineParams =
    raw.workflow_engine_parameters === undefined ? {} : normaliseEngineParameters(requireObject("workflow_engine_parameters", raw.workflow_engine_parameters));
  rules.checkEngineParameters(engineParams);
  rules.checkWorkflowUrl(workflowUrl, engineParams);

  const versionText = stringField("workflow_type_version", raw.workflow_type_version, { required: true, max: 64 })!;
  const version = canonicalVersion(languages, type, versionText);
  if (!version)
    throw badRequest(`workflow_type_version '${clip(versionText)}' is not supported for ${type}; use one of ${languages.types[type]!.versions.join(", ")}.`);

  const params = raw.workflow_params === undefined ? {} : requireObject("workflow_params", raw.workflow_params);
  const tags = raw.tags === undefined ? {} : validateTags(requireObject("tags", raw.tags));

  const engineText = stringField("workflow_engine", raw.workflow_engine, { required: false, max: 64 });
  const engineVersion = stringField("workflow_engine_version", raw.workflow_engine_version, { required: false, max: 64 });
  if (engineVersion !== undefined && engineText === undefined)
    throw badRequest("workflow_engine_version was given without workflow_engine; name the engine too.");
  // Another server's engine (`cwltool`, `toil`): recorded as sent, its version unchecked.
  const foreign = engineText === undefined ? undefined : clientEngine(languages, engineText);
  if (foreign && !foreign.types.includes(type)) throw badRequest(`workflow_engine '${clip(engineText!)}' cannot run ${type}.`);
  if (engineText !== undefined && !foreign) {
    const engine = canonicalEngine(languages, engineText);
    const compatible = Object.entries(languages.engines)
      .filter(([, e]) => e.types.includes(type))
      .map(([name]) => name);
    if (!engine || !languages.engines[engine]!.types.includes(type)) {
      throw badRequest(`workflow_engine '${clip(engineText)}' cannot run ${type}; use one of ${compatible.join(", ")}.`);
    }
    if (engineVersion !== undefined && !languages.engines[engine]!.versions.includes(engineVersion)) {
      throw badRequest(
        `workflow_engine_version '${clip(engineVersion)}' is not available for ${engine}; use one of ${languages.engines[engine]!.versions.join(", ")}.`,
      );
    }
  }

  const request: RunRequestBody = {
    workflow_params: params,
    workflow_type: type,
    workflow_type_version: version,
    tags,
    workflow_engine_parameters: engineParams,
    workflow_url: workflowUrl,
  };
  if (engineText !== undefined) request.workflow_engine = foreign?.name ?? canonicalEngine(languages, engineText)!;
  if (engineVersion !== undefined) request.workflow_engine_version = engineVersion;
  return request;
}
