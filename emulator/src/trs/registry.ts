/**
 * A small GA4GH TRS v2 registry (Tool Registry Service, ga4gh/tool-registry-service-schemas
 * openapi.yaml) serving the example workflows, unauthenticated: `/tools`, `/tools/{id}`,
 * `/tools/{id}/versions[/{v}]`, `/{type}/descriptor[/{relative_path}]` (a FileWrapper with a
 * sha-256 checksum for CWL|WDL|NFL, the raw text for PLAIN_*), `/{type}/files` (with file_type
 * and checksum, or `?format=zip`), `/{type}/tests`, `/toolClasses` and `/service-info`. Ids are
 * Dockstore-style (`#workflow/github.com/org/repo`), URL-encoded in paths, with or without their
 * slashes encoded.
 */
import { zipSync } from "fflate";
import { EXAMPLES, type ExampleWorkflow } from "./examples";

/** Where the registry is served. */
export const TRS_BASE = "/ga4gh/trs/v2";

const TOOL_CLASS = { id: "workflow", name: "Workflow", description: "A computational workflow" };
const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function trsError(code: number, message: string): Response {
  return Response.json({ code, message }, { status: code });
}

function toolUrl(origin: string, e: ExampleWorkflow): string {
  return `${origin}${TRS_BASE}/tools/${encodeURIComponent(e.id)}`;
}

function toolVersion(origin: string, e: ExampleWorkflow): Record<string, unknown> {
  return {
    id: e.version,
    url: `${toolUrl(origin, e)}/versions/${encodeURIComponent(e.version)}`,
    name: e.version,
    author: ["HealthOmics emulator"],
    descriptor_type: [e.type],
    is_production: true,
    containerfile: false,
    verified: false,
    images: [],
  };
}

function tool(origin: string, e: ExampleWorkflow): Record<string, unknown> {
  return {
    url: toolUrl(origin, e),
    id: e.id,
    organization: "wes-emulator",
    name: e.name,
    toolclass: TOOL_CLASS,
    description: e.description,
    has_checker: false,
    versions: [toolVersion(origin, e)],
  };
}

/** The example and the path after its id, for a path below /tools/ (encoded slashes or not). */
function findTool(rawRest: string): { example: ExampleWorkflow; rest: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawRest);
  } catch {
    return undefined;
  }
  for (const example of EXAMPLES) {
    if (decoded === example.id || decoded.startsWith(`${example.id}/`)) return { example, rest: decoded.slice(example.id.length) };
  }
  return undefined;
}

function fileType(e: ExampleWorkflow, path: string): string {
  return path === e.primary ? "PRIMARY_DESCRIPTOR" : (e.fileTypes?.[path] ?? "SECONDARY_DESCRIPTOR");
}

async function descriptor(origin: string, e: ExampleWorkflow, type: string, relative: string | undefined): Promise<Response> {
  const path = (relative ?? e.primary).replace(/^\/+/, "").replace(/^\.\//, "");
  const content = e.files[path];
  if (content === undefined) return trsError(404, `No file ${path} in ${e.id} version ${e.version}`);
  if (type.startsWith("PLAIN_")) return new Response(content, { headers: { "content-type": "text/plain; charset=utf-8" } });
  return Response.json({ content, checksum: [{ checksum: await sha256(content), type: "sha-256" }], url: `${origin}/__emulator/files/${e.name}/${path}` });
}

async function files(e: ExampleWorkflow, format: string | null): Promise<Response> {
  if (format === "zip") {
    const zip = zipSync(Object.fromEntries(Object.entries(e.files).map(([path, text]) => [path, encoder.encode(text)])));
    return new Response(zip, {
      headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="${e.name}-${e.version}.zip"` },
    });
  }
  const list = await Promise.all(
    Object.entries(e.files).map(async ([path, text]) => ({
      path,
      file_type: fileType(e, path),
      checksum: [{ checksum: await sha256(text), type: "sha-256" }],
    })),
  );
  return Response.json(list);
}

/** Serves one TRS request. */
export async function handleTrs(request: Request, url: URL): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") return trsError(405, "The TRS registry is read-only");
  const origin = url.origin;
  const path = url.pathname.slice(TRS_BASE.length).replace(/\/+$/, "");
  if (path === "/service-info") {
    return Response.json({
      id: "org.ga4gh.trs.wes-emulator",
      name: "HealthOmics emulator TRS registry",
      type: { group: "org.ga4gh", artifact: "trs", version: "2.0.1" },
      description: "Example workflows for local WES submissions",
      organization: { name: "wes-emulator", url: origin },
      version: "1.0.0",
    });
  }
  if (path === "/toolClasses") return Response.json([TOOL_CLASS]);
  if (path === "/tools") {
    const wanted = url.searchParams.get("id");
    const toolClass = url.searchParams.get("toolClass");
    const list = EXAMPLES.filter((e) => (!wanted || e.id === wanted) && (!toolClass || toolClass === TOOL_CLASS.name));
    return Response.json(list.map((e) => tool(origin, e)));
  }
  if (!path.startsWith("/tools/")) return trsError(404, `No TRS endpoint ${url.pathname}`);
  const found = findTool(path.slice("/tools/".length));
  if (!found) return trsError(404, "The tool can not be found");
  const { example: e, rest } = found;
  if (rest === "") return Response.json(tool(origin, e));
  if (rest === "/versions") return Response.json([toolVersion(origin, e)]);
  const m = /^\/versions\/([^/]+)(?:\/([^/]+)(?:\/(descriptor|files|tests)(?:\/(.+))?)?)?$/.exec(rest);
  if (!m || m[1] !== e.version) return trsError(404, `No version ${m?.[1] ?? rest} of ${e.id}`);
  const [, , type, what, relative] = m;
  if (type === undefined) return Response.json(toolVersion(origin, e));
  if (type === "containerfile") return trsError(404, "There are no container specifications for this tool");
  if (type !== e.type && type !== `PLAIN_${e.type}`) return trsError(404, `The tool can not be output in type ${type} (it is ${e.type})`);
  if (what === "descriptor") return descriptor(origin, e, type, relative);
  if (what === "files" && relative === undefined) return files(e, url.searchParams.get("format"));
  if (what === "tests" && relative === undefined) {
    const tests = Object.entries(e.files).filter(([path]) => e.fileTypes?.[path] === "TEST_FILE");
    if (type.startsWith("PLAIN_")) return Response.json(tests.map(([, text]) => JSON.parse(text) as unknown));
    return Response.json(await Promise.all(tests.map(async ([, text]) => ({ content: text, checksum: [{ checksum: await sha256(text), type: "sha-256" }] }))));
  }
  return trsError(404, `No TRS endpoint ${url.pathname}`);
}
