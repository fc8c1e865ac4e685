/**
 * Property test of the data-access check against the WHATWG URL parser: over generated strings
 * (control characters, percent-encodings, backslashes, dot segments, odd authorities in every
 * position), whenever a URL parser reads a value as a location in the output bucket outside the
 * user's own folder, the check must refuse it. The checker may be stricter than the parser
 * (it refuses dot segments and control characters outright), never laxer.
 */
import { describe, expect, it } from "vitest";
import { checkInputs, type AccessPolicy } from "../../src/wes/data-access";

const POLICY: AccessPolicy = { user: "demo", outputPrefix: "s3://wes-local-outputs/", allowed: null };
const OWN = "/users/demo/";

/** mulberry32: a small seeded generator, so a failure is reproducible from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTROLS = ["\t", "\n", "\r", "\u0000", "\u001f", "\u007f", " ", "\u000b"];
const LEADS = ["", "", "", " ", "\t", "\u0000", "\n ", "see ", "--in="];
const SCHEMES = ["s3", "S3", "s3a", "s3n"];
const SEPARATORS = ["://", "://", ":/", ":///", ":\\\\", ":/\\"];
const HOSTS = [
  "wes-local-outputs",
  "wes-local-outputs",
  "WES-Local-Outputs",
  "wes-local-outputs.",
  "x@wes-local-outputs",
  "wes-local-outputs:443",
  "lab-bucket",
];
const SEGMENTS = [
  "users",
  "users",
  "demo",
  "demo",
  "guest",
  "..",
  ".",
  "%2e%2e",
  "%2E.",
  ".%2e",
  "%252e%252e",
  "",
  "x",
  "runs",
  "%2f",
  "users%2fguest",
  "%09..",
];
const SLASHES = ["/", "/", "/", "\\", "%2F", "//"];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** Inserts a control character at a random position with probability `p`. */
function sprinkle(next: () => number, text: string, p: number): string {
  if (next() >= p) return text;
  const at = Math.floor(next() * (text.length + 1));
  return text.slice(0, at) + pick(next, CONTROLS) + text.slice(at);
}

function generate(next: () => number): { value: string; lead: string } {
  const lead = pick(next, LEADS);
  const segments = Array.from({ length: 1 + Math.floor(next() * 5) }, () => pick(next, SEGMENTS));
  let path = "";
  for (const segment of segments) path += pick(next, SLASHES) + segment;
  let uri = pick(next, SCHEMES) + pick(next, SEPARATORS) + pick(next, HOSTS) + path;
  for (let i = 0; i < 3; i++) uri = sprinkle(next, uri, 0.4);
  return { value: lead + uri + (next() < 0.2 ? pick(next, CONTROLS) : ""), lead };
}

/** ASCII percent-decoding, repeated (as the most trusting tool would). */
function decodeAll(text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    const next = current.replace(/%([0-7][0-9a-f])/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Where WHATWG URL parsing puts a value, read as a special URL (backslashes are slashes, host
 * lower-cased) and as a non-special one: [host, path] pairs. Empty when it is no URL.
 */
function whatwgReadings(value: string, lead: string): Array<[string, string]> {
  // An embedded URI ("see s3://…") is what follows the leading words; C0 and spaces are the parser's own.
  const text = /^[\u0000-\u0020]*$/.test(lead) ? value : value.slice(lead.length);
  const readings: Array<[string, string]> = [];
  const special = text.replace(/^([\u0000-\u0020]*)s[\t\n\r]*3[\t\n\r]*[an]?[\t\n\r]*:/i, "$1http:");
  for (const candidate of [special, text]) {
    try {
      const url = new URL(candidate);
      if (!/^(https?|s3[an]?):$/i.test(url.protocol)) continue;
      readings.push([decodeAll(url.hostname).toLowerCase().replace(/\.+$/, ""), decodeAll(url.pathname)]);
    } catch {
      // not a URL to this parser
    }
  }
  return readings;
}

/** Whether a parser's reading escapes the user's own folder of the output bucket. */
function escapes([host, path]: [string, string]): boolean {
  if (host !== "wes-local-outputs") return false;
  const inside = path.replace(/\\/g, "/").startsWith(OWN);
  const dots = path.split(/[/\\]/).some((segment) => segment === "." || segment === "..");
  return !inside || dots;
}

describe("the data-access check never accepts what a URL parser reads as someone else's data", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("seed %i: 600 generated values", (seed) => {
    const next = random(seed);
    let unsafe = 0;
    let accepted = 0;
    const missed: string[] = [];
    for (let i = 0; i < 600; i++) {
      const { value, lead } = generate(next);
      const parsed = whatwgReadings(value, lead);
      const refused = checkInputs({ input: value }, POLICY) !== null;
      if (!refused) accepted++;
      if (parsed.some(escapes)) {
        unsafe++;
        if (!refused) missed.push(JSON.stringify(value));
      }
    }
    expect(missed).toEqual([]);
    // Not vacuous: the generator produces both kinds of values.
    expect(unsafe).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(20);
  });

  it("the reference reading itself sees through control characters (so it can catch the checker)", () => {
    expect(whatwgReadings("s\t3://wes-local-outputs/users/guest/x", "").some(escapes)).toBe(true);
    expect(whatwgReadings("s3://wes-local-outputs/users/demo/\t../guest/x", "").some(escapes)).toBe(true);
    expect(whatwgReadings("s3://wes-local-outputs/users/demo/x", "").some(escapes)).toBe(false);
  });
});
