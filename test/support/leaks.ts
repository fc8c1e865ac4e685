/**
 * Signs of internals in a response body — stack frames, SQL, database and runtime errors, library
 * names and source paths — shared by the hostile-input sweeps (test/node/wes-fuzz.test.ts and
 * test/integration/hostile-headers.test.ts).
 */
export const LEAKS: Array<[string, RegExp]> = [
  ["a stack frame", /\n\s+at\s+\S|\bat\s+(?:async\s+)?[\w$.<>]+\s+\([^)]*:\d+:\d+\)/],
  ["SQL text", /\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i],
  ["a D1/SQLite error", /D1_ERROR|SQLITE_|no such (table|column)|constraint failed/i],
  ["an ORM/library name", /drizzle|node_modules|hono\/dist/i],
  ["a source path", /\.(ts|js|mjs):\d+/],
  ["a raw JavaScript error", /\b(TypeError|ReferenceError|RangeError|SyntaxError|URIError)\b/],
];

/** The leaks in `text` that are not an echo of the request's own input. */
export function leaksIn(text: string, input: string): string[] {
  const found: string[] = [];
  for (const [what, pattern] of LEAKS) {
    const match = pattern.exec(text);
    if (match && !input.includes(match[0])) found.push(`leaks ${what}: ${JSON.stringify(match[0])}`);
  }
  return found;
}
