/**
 * The example workflows as plain files over http (`/__emulator/files/<example>/<path>`), so a
 * client can submit "a URL to a workflow with imports" offline: the imports resolve relative to
 * the main file's URL. `/__emulator/files/` lists them.
 */
import { EXAMPLES } from "./examples";

const PREFIX = "/__emulator/files/";

/** GET /__emulator/files/… */
export function serveExampleFile(request: Request, url: URL): Response {
  if (request.method !== "GET" && request.method !== "HEAD") return Response.json({ error: "only GET and HEAD" }, { status: 405 });
  let rest: string;
  try {
    rest = decodeURIComponent(url.pathname.slice(PREFIX.length));
  } catch {
    return Response.json({ error: "malformed path" }, { status: 400 });
  }
  if (rest === "") {
    const index = EXAMPLES.map((e) => ({
      name: e.name,
      type: e.type,
      trsId: e.id,
      main: `${url.origin}${PREFIX}${e.name}/${e.primary}`,
      files: Object.keys(e.files).map((path) => `${url.origin}${PREFIX}${e.name}/${path}`),
    }));
    return Response.json({ examples: index });
  }
  const slash = rest.indexOf("/");
  const example = EXAMPLES.find((e) => e.name === rest.slice(0, slash));
  const content = slash > 0 ? example?.files[rest.slice(slash + 1)] : undefined;
  if (content === undefined) return Response.json({ error: `no example file ${rest}` }, { status: 404 });
  return new Response(request.method === "HEAD" ? null : content, { headers: { "content-type": "text/plain; charset=utf-8" } });
}
