/**
 * The submit form's other workflow sources — uploaded files or a workflow URL — as the multipart
 * body of POST /runs (pure): `workflow_attachment` parts named by their relative paths and
 * `workflow_url` naming the main one, or `workflow_url` = an https/TRS URL.
 */
import { runRequest } from "./submission";

/** Where the workflow comes from. */
export type SourceKind = "registered" | "files" | "url";

/** A chosen file and the relative path it is sent under. */
export interface ChosenFile {
  path: string;
  blob: Blob;
}

/** The fields of the files and URL sources (name, tags and options as in the registered form). */
export interface SourceForm {
  kind: "files" | "url";
  files: ChosenFile[];
  /** The main file's path (files) or the workflow's URL (url). */
  main: string;
  url: string;
  workflowType: string;
  workflowTypeVersion: string;
  /** workflow_params as JSON text; empty = {}. */
  paramsJson: string;
  name: string;
  tags: Array<{ key: string; value: string }>;
  options: Record<string, string>;
}

/** A field of the source part of the form that a check or a 400 can be about. */
export type SourceField = "files" | "main" | "url" | "type" | "version" | "params";

/** A check failed before sending: which field, and why. */
export class SourceError extends Error {
  constructor(
    readonly field: SourceField,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The relative paths of picked files: `webkitRelativePath` when a folder was picked, without the
 * folder's own name (the workflow's imports are relative to its main file, not to the folder).
 */
export function relativePaths(files: Array<{ name: string; webkitRelativePath?: string }>): string[] {
  const paths = files.map((f) => (f.webkitRelativePath ? f.webkitRelativePath : f.name));
  const tops = new Set(paths.map((p) => (p.includes("/") ? p.slice(0, p.indexOf("/")) : "")));
  if (tops.size === 1 && !tops.has("")) {
    const top = [...tops][0]!;
    return paths.map((p) => p.slice(top.length + 1));
  }
  return paths;
}

const MAIN_EXTENSIONS = [".wdl", ".cwl", ".nf"];

/** The likely main file: the only one, else a top-level main.* or the first top-level workflow file. */
export function guessMain(paths: string[]): string {
  if (paths.length <= 1) return paths[0] ?? "";
  const top = paths.filter((p) => !p.includes("/") && MAIN_EXTENSIONS.some((e) => p.toLowerCase().endsWith(e)));
  return top.find((p) => /^main\./i.test(p)) ?? top[0] ?? "";
}

/** The version offered first for each type (the newest HealthOmics runs). */
export const DEFAULT_VERSIONS: Record<string, string> = { WDL: "1.0", CWL: "v1.2", NFL: "DSL2" };

/** The workflow type a file name suggests ("" when it suggests none). */
export function typeOfPath(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith(".wdl")) return "WDL";
  if (lower.endsWith(".cwl")) return "CWL";
  if (lower.endsWith(".nf")) return "NFL";
  return "";
}

/** workflow_params from the JSON field: an object, or a SourceError naming the field. */
export function parseParams(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SourceError("params", `Parameters are not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SourceError("params", "Parameters must be a JSON object.");
  return value as Record<string, unknown>;
}

/** The multipart body of POST /runs for files or a URL; throws a SourceError for a field the API would refuse anyway. */
export function sourceRequest(form: SourceForm): FormData {
  let workflowUrl: string;
  if (form.kind === "files") {
    if (form.files.length === 0) throw new SourceError("files", "Choose the workflow's files.");
    const seen = new Set<string>();
    for (const f of form.files) {
      if (seen.has(f.path)) throw new SourceError("files", `Two files have the path ${f.path}.`);
      seen.add(f.path);
    }
    if (!form.main) throw new SourceError("main", "Choose the main file.");
    if (!seen.has(form.main)) throw new SourceError("main", `${form.main} is not one of the chosen files.`);
    workflowUrl = form.main;
  } else {
    workflowUrl = form.url.trim();
    if (!workflowUrl) throw new SourceError("url", "Enter the workflow's URL.");
    if (!/^(https?|trs):\/\//i.test(workflowUrl)) throw new SourceError("url", "The URL must start with https:// or trs://.");
  }
  if (!form.workflowType) throw new SourceError("type", "Choose the workflow type.");
  const json = runRequest({
    workflowUrl,
    workflowType: form.workflowType,
    workflowTypeVersion: form.workflowTypeVersion.trim(),
    params: {},
    name: form.name,
    tags: form.tags,
    options: form.options,
  });
  json.workflow_params = parseParams(form.paramsJson);
  const body = new FormData();
  for (const [key, value] of Object.entries(json)) {
    body.append(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  if (form.kind === "files") for (const f of form.files) body.append("workflow_attachment", f.blob, f.path);
  return body;
}

/**
 * Which source field a 400's message is about, or undefined when it is about none of them. Besides
 * the messages naming a field first, the URL's fetch refusals ("Fetching '…' answered 404.", "The
 * TRS …", "The import …") are about the URL, and the checks of attached files ("The workflow
 * imports …", "The workflow's files exceed …") about the files.
 */
export function sourceFieldOfError(message: string, kind: "files" | "url"): SourceField | undefined {
  if (message.startsWith("workflow_attachment")) return "files";
  if (kind === "url" && /^(Fetching |The workflow URL |The TRS |The import |The workflow has more than |')/.test(message)) return "url";
  if (kind === "files" && /^(The workflow imports |The workflow has more than |The workflow's files )/.test(message)) return "files";
  if (message.startsWith("workflow_url")) return kind === "files" ? "main" : "url";
  if (message.startsWith("workflow_type_version")) return "version";
  if (message.startsWith("workflow_type")) return "type";
  if (message.startsWith("workflow_params")) return "params";
  return undefined;
}
