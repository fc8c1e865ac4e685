/**
 * Checks a JSON value against a shape of the emulator's API model slice (botocore service-2.json):
 * required members, types, enums, patterns, lengths, ranges, and no members the model does not
 * define. Used by the Node-side SDK test to prove every response body conforms to the model.
 */
import model from "../../emulator/src/model/omics-model.json";

interface Ref {
  shape: string;
}
interface ShapeDef {
  type: string;
  members?: Record<string, Ref>;
  required?: string[];
  member?: Ref;
  key?: Ref;
  value?: Ref;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  document?: boolean;
}

const shapes = (model as unknown as { shapes: Record<string, ShapeDef> }).shapes;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Problems found in `value` against shape `name` (empty = conforms). */
export function conformance(name: string, value: unknown, path = "$"): string[] {
  const s = shapes[name];
  if (!s) return [`${path}: unknown shape ${name}`];
  const out: string[] = [];
  switch (s.type) {
    case "structure": {
      if (s.document) return out;
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: expected object (${name})`];
      const record = value as Record<string, unknown>;
      for (const r of s.required ?? []) if (record[r] === undefined) out.push(`${path}.${r}: required by ${name}`);
      for (const [k, v] of Object.entries(record)) {
        const ref = s.members?.[k];
        if (!ref) out.push(`${path}.${k}: not a member of ${name}`);
        else if (v !== null) out.push(...conformance(ref.shape, v, `${path}.${k}`));
      }
      return out;
    }
    case "list":
      if (!Array.isArray(value)) return [`${path}: expected list (${name})`];
      value.forEach((v, i) => out.push(...conformance(s.member!.shape, v, `${path}[${i}]`)));
      return out;
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: expected map (${name})`];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(...conformance(s.key!.shape, k, `${path}{key}`), ...conformance(s.value!.shape, v, `${path}.${k}`));
      }
      return out;
    case "string": {
      if (typeof value !== "string") return [`${path}: expected string (${name})`];
      const length = [...value].length;
      if (s.min !== undefined && length < s.min) out.push(`${path}: shorter than ${s.min}`);
      if (s.max !== undefined && length > s.max) out.push(`${path}: longer than ${s.max}`);
      if (s.enum && !s.enum.includes(value)) out.push(`${path}: ${value} not in ${s.enum.join("|")}`);
      if (s.pattern && !new RegExp(`^(?:${s.pattern})$`, "u").test(value)) out.push(`${path}: ${value} does not match ${s.pattern}`);
      return out;
    }
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value)) return [`${path}: expected integer (${name})`];
      if (s.min !== undefined && value < s.min) out.push(`${path}: below ${s.min}`);
      if (s.max !== undefined && value > s.max) out.push(`${path}: above ${s.max}`);
      return out;
    case "boolean":
      return typeof value === "boolean" ? out : [`${path}: expected boolean (${name})`];
    case "timestamp":
      return typeof value === "string" && RFC3339.test(value) ? out : [`${path}: expected an RFC 3339 timestamp (${name}), got ${String(value)}`];
    default:
      return out;
  }
}
