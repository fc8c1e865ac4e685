/**
 * The identity variables of the API Worker (schema.ts is their index): HTTP Basic users, static
 * tokens and admins, OpenID Connect bearer tokens, and the dashboard's OpenID Connect sign-in,
 * with the group schemas src/auth and src/dashboard parse.
 */
import * as v from "valibot";
import { list, optionalMatching, optionalUrl, parsed, type Problem, splitList, text, wholeNumber } from "./values";

/** User names (basic, static tokens, admins): what a folder name and a log line can carry safely. */
export const USER_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const CLAIM_NAME = /^[\x21-\x7e]{1,200}$/;
const CLAIM_MESSAGE = "must be a claim name (printable characters, no spaces)";
const HTTPS_MESSAGE = "must be an https URL (http only for localhost)";
/** Shortest static bearer token or events secret: 16 characters. */
export const MIN_SECRET_LENGTH = 16;

/** http(s) URL check for identity-provider URLs; plain http only for loopback hosts (local IdPs, tests). */
export function secureUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** `user:secret` entries; `check` says whether the secret part is acceptable. */
function userPairs(value: string, problem: Problem, check: (secret: string) => boolean, shape: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  splitList(value).forEach((entry, index) => {
    const colon = entry.indexOf(":");
    const user = entry.slice(0, colon);
    const secret = entry.slice(colon + 1);
    if (colon < 1 || !USER_NAME.test(user) || !check(secret)) problem(`entry ${index + 1} must look like ${shape}`);
    else pairs.push([user, secret]);
  });
  return pairs;
}

const claim = (description: string, fallback: string) => v.pipe(text({ description }, fallback), v.regex(CLAIM_NAME, CLAIM_MESSAGE));
const optionalClaim = (description: string) => optionalMatching({ description }, CLAIM_NAME, CLAIM_MESSAGE);

/** Users, tokens, admins and the failed-authentication limit: read on every API request. */
export const AUTH_VARIABLES = {
  WES_USERS: parsed({ description: "HTTP Basic users: user:password entries", secret: true }, (value, problem) => {
    return new Map(userPairs(value, problem, (password) => password !== "", "user:password (user: letters, digits, . _ @ + -)"));
  }),
  WES_TOKENS: parsed({ description: "static bearer tokens: user:token entries (tokens of 16+ characters)", secret: true }, (value, problem) => {
    return userPairs(value, problem, (token) => token.length >= MIN_SECRET_LENGTH, `user:token with a token of at least ${MIN_SECRET_LENGTH} characters`);
  }),
  WES_ADMINS: v.pipe(
    list({ description: "users who see and may cancel every run" }),
    v.transform((names) => new Set(names)),
  ),
  WES_AUTH_FAILURE_LIMIT: wholeNumber(
    { description: "failed authentications per client address per minute before 429s (0 = off)" },
    10,
    0,
    10_000,
    "must be a whole number from 0 (off) to 10000",
  ),
};

/** OpenID Connect bearer tokens: off while WES_OIDC_ISSUER is empty (then the others are not read). */
export const OIDC_VARIABLES = {
  WES_OIDC_ISSUER: optionalUrl({ description: "OIDC issuer (exact iss); empty: OIDC off" }, HTTPS_MESSAGE, secureUrl),
  WES_OIDC_AUDIENCE: v.pipe(
    list({ description: "accepted aud values (comma-separated)" }, /,/),
    v.minLength(1, "must name at least one audience (the API identifier the tokens are issued for)"),
  ),
  WES_OIDC_JWKS_URL: optionalUrl({ description: "key set URL; empty: OIDC discovery from the issuer" }, HTTPS_MESSAGE, secureUrl),
  WES_OIDC_USER_CLAIM: claim("claim naming the user", "sub"),
  WES_OIDC_ADMIN_CLAIM: optionalClaim("claim that makes a caller an admin when it equals or contains WES_OIDC_ADMIN_VALUE"),
  WES_OIDC_ADMIN_VALUE: text({ description: "value of WES_OIDC_ADMIN_CLAIM that makes an admin" }),
  WES_OIDC_SCOPE_CLAIM: claim("claim carrying the scopes", "scope"),
  WES_OIDC_GROUPS_CLAIM: optionalClaim("claim naming the caller's groups, for @group data-access rules"),
  WES_OIDC_CLOCK_SKEW_SECONDS: wholeNumber({ description: "allowed clock skew for exp/nbf/iat" }, 60, 0, 600),
  WES_OIDC_JWKS_REFRESH_SECONDS: wholeNumber({ description: "least time between two key-set fetches" }, 30, 1, 3600),
};

/** Scopes the dashboard asks for at OIDC sign-in when WES_DASHBOARD_OIDC_SCOPE is empty: sign in, read, submit and cancel. */
export const DEFAULT_DASHBOARD_SCOPE = "openid wes:read wes:submit wes:cancel wes:delete";

/** The dashboard's OpenID Connect sign-in (authorization code with PKCE, a public client of the WES_OIDC_ISSUER provider). */
export const DASHBOARD_VARIABLES = {
  WES_DASHBOARD_OIDC_CLIENT_ID: optionalMatching(
    { description: "the dashboard's OIDC client id (a public client); empty: the dashboard offers only basic sign-in" },
    /^[\x21-\x7e]{1,200}$/,
    "must be a client id (printable characters, no spaces)",
  ),
  WES_DASHBOARD_OIDC_SCOPE: v.pipe(
    text({ description: "scopes the dashboard asks for at sign-in, space-separated" }, DEFAULT_DASHBOARD_SCOPE),
    v.transform((value) => value.replace(/\s+/g, " ") || DEFAULT_DASHBOARD_SCOPE),
    v.check((value) => /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(value) && value.length <= 1000, "must be space-separated scope names"),
  ),
};

/** Group schemas: what src/auth and src/dashboard parse. */
export const AUTH = v.object(AUTH_VARIABLES);
export const OIDC = v.pipe(
  v.object(OIDC_VARIABLES),
  v.partialCheck(
    [["WES_OIDC_ADMIN_CLAIM"], ["WES_OIDC_ADMIN_VALUE"]],
    (o) => (o.WES_OIDC_ADMIN_CLAIM === undefined) === (o.WES_OIDC_ADMIN_VALUE === ""),
    "WES_OIDC_ADMIN_CLAIM and WES_OIDC_ADMIN_VALUE must be set together",
  ),
);
export const DASHBOARD = v.object(DASHBOARD_VARIABLES);
