/**
 * Data-access settings (docs/configuration.md, "Data access"): which storage locations each user's
 * runs may read, and the groups those rules can name.
 *
 * - `WES_GROUPS`: `lab1:alice,bob;lab2:carol` (groups separated by `;` or newlines, members by
 *   `,`), or JSON `{"lab1":["alice","bob"]}`.
 * - `WES_ALLOWED_INPUT_PREFIXES`: `*=s3://refs/;alice=s3://alice-data/,s3://shared/;@lab1=omics://…`
 *   (entries separated by `;` or newlines, `subject=prefix,prefix`), or JSON
 *   `{"*":["s3://refs/"],"@lab1":["s3://lab1/"]}`. Subjects: `*` (everyone), a user name, `@group`.
 *   Empty: the default — any location except the service's output area outside the user's folder.
 *
 * Parsed when a run is submitted, cached per env object; one ConfigError (a 503) lists every problem.
 */
import { ConfigError } from "../config";
import { parseStoragePrefix, type StoragePrefix } from "./storage-uri";

/** Parsed data-access settings. */
export interface DataAccessSettings {
  /** Subject (`*`, a user, `@group`) → allowed prefixes; null when WES_ALLOWED_INPUT_PREFIXES is empty (default rule). */
  rules: Map<string, StoragePrefix[]> | null;
  /** Group name → members. */
  groups: Map<string, Set<string>>;
}

/** A user or group name a data-access rule can name. */
export const SUBJECT_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const NAME = SUBJECT_NAME;

/** Reads one of this module's variables, trimmed. */
function variable(env: Env, name: "WES_ALLOWED_INPUT_PREFIXES" | "WES_GROUPS"): string {
  return (env[name] ?? "").trim();
}

/** `{key: string | string[]}` from JSON, or the compact `key<sep>a,b;key2<sep>c` form. */
function entries(text: string, separator: string, name: string, problems: string[]): Array<[string, string[]]> {
  if (text.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push(`${name} starts with '{' but is not valid JSON`);
      return [];
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${name} must be a JSON object`);
      return [];
    }
    const result: Array<[string, string[]]> = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const list = typeof item === "string" ? [item] : item;
      if (!Array.isArray(list) || !list.every((x): x is string => typeof x === "string")) {
        problems.push(`${name} entry '${key.slice(0, 64)}' must be a string or a list of strings`);
        continue;
      }
      result.push([key, list.map((x) => x.trim()).filter((x) => x !== "")]);
    }
    return result;
  }
  const result: Array<[string, string[]]> = [];
  text.split(/[;\n]/).forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === "") return;
    const at = entry.indexOf(separator);
    if (at < 1) {
      problems.push(`${name} entry ${index + 1} must look like name${separator}item,item`);
      return;
    }
    const items = entry
      .slice(at + separator.length)
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
    result.push([entry.slice(0, at).trim(), items]);
  });
  return result;
}

function parseGroups(text: string, problems: string[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const [group, members] of entries(text, ":", "WES_GROUPS", problems)) {
    if (!NAME.test(group)) {
      problems.push(`WES_GROUPS group '${group.slice(0, 64)}' must be 1-64 letters, digits, . _ @ + -`);
      continue;
    }
    const bad = members.find((member) => !NAME.test(member));
    if (bad !== undefined) problems.push(`WES_GROUPS group '${group}' has an invalid member name '${bad.slice(0, 64)}'`);
    const set = groups.get(group) ?? new Set<string>();
    for (const member of members) set.add(member);
    groups.set(group, set);
  }
  return groups;
}

/**
 * `tokenGroups`: groups may also come from OIDC tokens (WES_OIDC_GROUPS_CLAIM), so a rule may name
 * a group WES_GROUPS does not define; without that claim such a rule is a typo and refused.
 */
function parseRules(text: string, groups: Map<string, Set<string>>, tokenGroups: boolean, problems: string[]): Map<string, StoragePrefix[]> {
  const rules = new Map<string, StoragePrefix[]>();
  for (const [subject, prefixes] of entries(text, "=", "WES_ALLOWED_INPUT_PREFIXES", problems)) {
    const group = subject.startsWith("@") ? subject.slice(1) : undefined;
    const valid = subject === "*" || (group !== undefined ? groups.has(group) || (tokenGroups && NAME.test(group)) : NAME.test(subject));
    if (!valid) {
      problems.push(
        group !== undefined
          ? tokenGroups
            ? `WES_ALLOWED_INPUT_PREFIXES group '${subject.slice(0, 65)}' must be @ and 1-64 letters, digits, . _ @ + -`
            : `WES_ALLOWED_INPUT_PREFIXES names group '${subject.slice(0, 65)}', which WES_GROUPS does not define (with OIDC on, set WES_OIDC_GROUPS_CLAIM to take groups from tokens)`
          : `WES_ALLOWED_INPUT_PREFIXES subject '${subject.slice(0, 64)}' must be *, a user name or @group`,
      );
      continue;
    }
    const list = rules.get(subject) ?? [];
    for (const text of prefixes) {
      const parsed = parseStoragePrefix(text);
      if (typeof parsed === "string") problems.push(`WES_ALLOWED_INPUT_PREFIXES prefix '${text.slice(0, 100)}' of '${subject}' ${parsed}`);
      else list.push(parsed);
    }
    rules.set(subject, list);
  }
  return rules;
}

const cache = new WeakMap<object, DataAccessSettings>();

/** Parses WES_GROUPS and WES_ALLOWED_INPUT_PREFIXES; throws one ConfigError naming every problem. */
export function dataAccessSettings(env: Env): DataAccessSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const problems: string[] = [];
  const groups = parseGroups(variable(env, "WES_GROUPS"), problems);
  const rulesText = variable(env, "WES_ALLOWED_INPUT_PREFIXES");
  const tokenGroups = (env.WES_OIDC_GROUPS_CLAIM ?? "").trim() !== "" && (env.WES_OIDC_ISSUER ?? "").trim() !== "";
  const rules = rulesText === "" ? null : parseRules(rulesText, groups, tokenGroups, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const settings = { rules, groups };
  cache.set(env, settings);
  return settings;
}

/**
 * The locations `user` may read besides their own outputs: `*`, their own entry and their groups'
 * entries — groups from WES_GROUPS and, for OIDC callers, `tokenGroups` from their token; null in
 * the default mode. A group WES_GROUPS defines is decided by its member list alone: a token that
 * names it gains nothing, so an IdP group that happens to share the name cannot widen it.
 */
export function allowedPrefixes(settings: DataAccessSettings, user: string, tokenGroups: readonly string[] = []): StoragePrefix[] | null {
  if (!settings.rules) return null;
  // A user name may start with '@' (config.ts allows it); it must not pick up the group of that name.
  const own = user.startsWith("@") ? [] : [user];
  const listed = [...settings.groups].filter(([, members]) => members.has(user)).map(([group]) => group);
  const groups = new Set([...listed, ...tokenGroups.filter((group) => !settings.groups.has(group))]);
  const subjects = ["*", ...own, ...[...groups].map((group) => `@${group}`)];
  return subjects.flatMap((subject) => settings.rules!.get(subject) ?? []);
}
