/**
 * Reads a POST /runs body — `multipart/form-data` as the spec says, or the same fields as an
 * `application/json` object as many clients send — into a validated RunSubmission.
 *
 * What real clients send is accepted when the meaning is clear: JSON-valued fields as text fields
 * or as file parts (Dockstore sends workflow_params as a file), a lower-case `workflow_type`
 * (Toil), version spellings like `1.2` for CWL `v1.2`. Which languages are accepted, and what
 * `workflow_url` and `workflow_engine_parameters` may say, is the executor's to decide.
 */
import { badRequest, WesError } from "../errors";
import type { RunExecutor } from "../executors/executor";
import type { RunRequestBody } from "./json-shapes";
import { attachmentPath, clip, normaliseEngineParameters, parseJsonField, requireObject, stringField, validateTags } from "./submission-fields";
import { canonicalEngine, canonicalType, canonicalVersion, clientEngine } from "./workflow-types";

export type { RunRequestBody } from "./json-shapes";

/** A file sent as `workflow_attachment`. */
export interface Attachment {
  path: string;
  contentType: string | null;
  data: Uint8Array;
}

/** A validated submission, ready for the executor's own checks and then to store. */
export interface RunSubmission {
  request: RunRequestBody;
  attachments: Attachment[];
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
const JSON_FIELDS = new Set(["workflow_params", "tags", "workflow_engine_parameters"]);

/** Reads and validates the submission in `request` for `executor`. */
export async function readSubmission(request: Request, executor: RunExecutor): Promise<RunSubmission> {
  const rules: Rules = {
    languages: executor.describe().languages,
    checkEngineParameters: (params) => executor.checkEngineParameters(params),
    checkWorkflowUrl: (url, params) => executor.checkWorkflowUrl(url, params),
  };
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "multipart/form-data") return await fromMultipart(request, rules);
  if (type === "application/json") return await fromJson(request, rules);
  throw new WesError(415, `POST /runs takes multipart/form-data (as the WES spec says) or application/json; got '${clip(type || "no content type")}'.`);
}

async function fromMultipart(request: Request, rules: Rules): Promise<RunSubmission> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("The multipart/form-data body could not be parsed; check the boundary and the part headers.");
  }
  const raw: Record<string, unknown> = {};
  const attachments: Attachment[] = [];
  for (const [name, value] of form.entries()) {
    if (!(FIELDS as readonly string[]).includes(name)) {
      throw badRequest(`Unknown form field '${clip(name)}'. Accepted fields: ${FIELDS.join(", ")}.`);
    }
    if (name === "workflow_attachment") {
      if (typeof value === "string") throw badRequest("workflow_attachment parts must be files with a filename in Content-Disposition.");
      attachments.push({ path: attachmentPath(value.name), contentType: value.type || null, data: new Uint8Array(await value.arrayBuffer()) });
      continue;
    }
    if (name in raw) throw badRequest(`Form field '${name}' was sent more than once.`);
    const text = typeof value === "string" ? value : await value.text();
    raw[name] = JSON_FIELDS.has(name) ? jsonFieldText(name, text) : text;
  }
  const paths = new Set<string>();
  for (const attachment of attachments) {
    if (paths.has(attachment.path)) throw badRequest(`workflow_attachment '${clip(attachment.path)}' was sent more than once.`);
    paths.add(attachment.path);
  }
  return { request: validate(raw, rules), attachments };
}

async function fromJson(request: Request, rules: Rules): Promise<RunSubmission> {
  const text = await request.text();
  const body = requireObject("The JSON body", parseJsonField("The JSON body", text));
  for (const key of Object.keys(body)) {
    if (key === "workflow_attachment") throw badRequest("workflow_attachment needs multipart/form-data; a JSON body cannot carry files.");
    if (!(FIELDS as readonly string[]).includes(key))
      throw badRequest(`Unknown field '${clip(key)}'. Accepted fields: ${FIELDS.filter((f) => f !== "workflow_attachment").join(", ")}.`);
  }
  // JSON null means absent for every optional field (Toil and wes-client send `"tags": null`);
  // the required fields then get their own "is required" message.
  const raw: Record<string, unknown> = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
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
