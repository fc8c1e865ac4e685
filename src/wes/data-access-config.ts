/**
 * Data-access settings (docs/configuration.md, "Data access"): which storage locations each user's
 * runs may read, and the groups those rules can name. The variables (WES_GROUPS,
 * WES_ALLOWED_INPUT_PREFIXES) and their syntax are in src/settings/schema.ts and
 * src/settings/access-lists.ts. Parsed when a run is submitted, cached per env object; one
 * ConfigError (a 503) lists every problem.
 */
import { perEnv, readGroup } from "../settings/read";
import { DATA_ACCESS } from "../settings/schema";
import type { StoragePrefix } from "./storage-uri";

export { SUBJECT_NAME } from "../settings/access-lists";

/** Parsed data-access settings. */
export interface DataAccessSettings {
  /** Subject (`*`, a user, `@group`) → allowed prefixes; null when WES_ALLOWED_INPUT_PREFIXES is empty (default rule). */
  rules: Map<string, StoragePrefix[]> | null;
  /** Group name → members. */
  groups: Map<string, Set<string>>;
}

/** Parses WES_GROUPS and WES_ALLOWED_INPUT_PREFIXES; throws one ConfigError naming every problem. */
export const dataAccessSettings = perEnv((env: Env): DataAccessSettings => readGroup(DATA_ACCESS, env));

/**
 * The locations `user` may read besides their own outputs: `*`, their own entry and their groups'
 * entries — groups from WES_GROUPS and, for OIDC callers, `tokenGroups` from their token; null in
 * the default mode. A group WES_GROUPS defines is decided by its member list alone: a token that
 * names it gains nothing, so an IdP group that happens to share the name cannot widen it.
 */
export function allowedPrefixes(settings: DataAccessSettings, user: string, tokenGroups: readonly string[] = []): StoragePrefix[] | null {
  if (!settings.rules) return null;
  // A user name may start with '@' (USER_NAME in src/settings/schema.ts allows it); it must not pick up the group of that name.
  const own = user.startsWith("@") ? [] : [user];
  const listed = [...settings.groups].filter(([, members]) => members.has(user)).map(([group]) => group);
  const groups = new Set([...listed, ...tokenGroups.filter((group) => !settings.groups.has(group))]);
  const subjects = ["*", ...own, ...[...groups].map((group) => `@${group}`)];
  return subjects.flatMap((subject) => settings.rules!.get(subject) ?? []);
}
