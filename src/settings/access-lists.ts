/**
 * WES_GROUPS and WES_ALLOWED_INPUT_PREFIXES (docs/configuration.md, "Data access"):
 *
 * - `WES_GROUPS`: `lab1:alice,bob;lab2:carol` (groups separated by `;` or newlines, members by
 *   `,`), or JSON `{"lab1":["alice","bob"]}`.
 * - `WES_ALLOWED_INPUT_PREFIXES`: `*=s3://refs/;alice=s3://alice-data/,s3://shared/;@lab1=omics://…`
 *   (entries separated by `;` or newlines, `subject=prefix,prefix`), or JSON
 *   `{"*":["s3://refs/"],"@lab1":["s3://lab1/"]}`. Subjects: `*` (everyone), a user name, `@group`.
 *
 * The rules are read together with the groups (a rule may only name a defined group), so their
 * messages carry the variable's name themselves.
 */
import { parseStoragePrefix, type StoragePrefix } from "../wes/storage-uri";
import type { Problem } from "./values";

/** A user or group name a data-access rule can name. */
export const SUBJECT_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const NAME = SUBJECT_NAME;

/** `{key: string | string[]}` from JSON, or the compact `key<sep>a,b;key2<sep>c` form. */
function entries(text: string, separator: string, name: string, problem: Problem): Array<[string, string[]]> {
  if (text.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problem(`${name} starts with '{' but is not valid JSON`);
      return [];
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problem(`${name} must be a JSON object`);
      return [];
    }
    const result: Array<[string, string[]]> = [];
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const list = typeof item === "string" ? [item] : item;
      if (!Array.isArray(list) || !list.every((x): x is string => typeof x === "string")) {
        problem(`${name} entry '${key.slice(0, 64)}' must be a string or a list of strings`);
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
      problem(`${name} entry ${index + 1} must look like name${separator}item,item`);
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

/** Group name → members, from WES_GROUPS. */
export function parseGroups(text: string, problem: Problem): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const [group, members] of entries(text, ":", "WES_GROUPS", problem)) {
    if (!NAME.test(group)) {
      problem(`WES_GROUPS group '${group.slice(0, 64)}' must be 1-64 letters, digits, . _ @ + -`);
      continue;
    }
    const bad = members.find((member) => !NAME.test(member));
    if (bad !== undefined) problem(`WES_GROUPS group '${group}' has an invalid member name '${bad.slice(0, 64)}'`);
    const set = groups.get(group) ?? new Set<string>();
    for (const member of members) set.add(member);
    groups.set(group, set);
  }
  return groups;
}

/**
 * Subject → allowed prefixes, from WES_ALLOWED_INPUT_PREFIXES. `tokenGroups`: groups may also come
 * from OIDC tokens (WES_OIDC_GROUPS_CLAIM), so a rule may name a group WES_GROUPS does not define;
 * without that claim such a rule is a typo and refused.
 */
export function parseRules(text: string, groups: Map<string, Set<string>>, tokenGroups: boolean, problem: Problem): Map<string, StoragePrefix[]> {
  const rules = new Map<string, StoragePrefix[]>();
  for (const [subject, prefixes] of entries(text, "=", "WES_ALLOWED_INPUT_PREFIXES", problem)) {
    const group = subject.startsWith("@") ? subject.slice(1) : undefined;
    const valid = subject === "*" || (group !== undefined ? groups.has(group) || (tokenGroups && NAME.test(group)) : NAME.test(subject));
    if (!valid) {
      problem(
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
      if (typeof parsed === "string") problem(`WES_ALLOWED_INPUT_PREFIXES prefix '${text.slice(0, 100)}' of '${subject}' ${parsed}`);
      else list.push(parsed);
    }
    rules.set(subject, list);
  }
  return rules;
}
