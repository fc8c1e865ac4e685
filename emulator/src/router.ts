/**
 * restJson1 request binding from the model: which operation a method + path names, and the
 * operation's input assembled from URI labels, query string members and the JSON body.
 */
import { ApiError } from "./errors";
import { model, shape, type OperationName } from "./model";

interface Route {
  operation: OperationName;
  method: string;
  regex: RegExp;
  labels: string[];
}

const routes: Route[] = Object.entries(model.operations).map(([name, op]) => {
  const labels: string[] = [];
  const source = op.http.requestUri.split("?")[0]!.replace(/\{(\w+)\+?\}/g, (_m, label: string) => {
    labels.push(label);
    return "([^/]+)";
  });
  return { operation: name as OperationName, method: op.http.method, regex: new RegExp(`^${source}/?$`), labels };
});

/** The operation a request names, with its decoded URI labels; null for an unknown path. */
export function matchOperation(method: string, pathname: string): { operation: OperationName; labels: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.regex.exec(pathname);
    if (!m) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((label, i) => {
      labels[label] = decodeURIComponent(m[i + 1]!);
    });
    return { operation: route.operation, labels };
  }
  return null;
}

/** Converts a query string value to the member's type (AWS answers unparsable numbers with ValidationException). */
function fromQuery(shapeName: string, values: string[], member: string): unknown {
  const s = shape(shapeName);
  if (s.type === "list") return values.map((v) => fromQuery(s.member!.shape, [v], member));
  const value = values[values.length - 1]!;
  if (s.type === "integer" || s.type === "long") {
    if (!/^-?\d+$/.test(value))
      throw new ApiError("ValidationException", `Value '${value}' at '${member}' failed to satisfy constraint: Member must be a number`);
    return Number(value);
  }
  if (s.type === "boolean") return value === "true";
  return value;
}

/** Builds an operation's input object from the request (labels, query, body). */
export function bindInput(operation: OperationName, labels: Record<string, string>, query: URLSearchParams, body: string): Record<string, unknown> {
  const op = model.operations[operation]!;
  if (!op.input) return {};
  const input = shape(op.input.shape);
  let parsed: Record<string, unknown> = {};
  const hasBodyMembers = Object.values(input.members ?? {}).some((m) => !m.location);
  if (hasBodyMembers && body.trim() !== "") {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ApiError("SerializationException", "The request body is not valid JSON");
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new ApiError("SerializationException", "The request body must be a JSON object");
    }
    parsed = json as Record<string, unknown>;
  }
  const result: Record<string, unknown> = {};
  for (const [member, ref] of Object.entries(input.members ?? {})) {
    if (ref.location === "uri") {
      result[member] = labels[ref.locationName ?? member];
    } else if (ref.location === "querystring") {
      const values = query.getAll(ref.locationName ?? member);
      if (values.length > 0) result[member] = fromQuery(ref.shape, values, member);
    } else if (!ref.location && parsed[member] !== undefined) {
      result[member] = parsed[member];
    }
  }
  return result;
}

/** The model's success status of an operation (201 for StartRun, 202 for CancelRun, ...). */
export function successStatus(operation: OperationName): number {
  return model.operations[operation]?.http.responseCode ?? 200;
}
