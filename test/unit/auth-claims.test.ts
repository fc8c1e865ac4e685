/** Pure parts of OIDC authentication: JWT shape, claims, scopes and rights. */
import { describe, expect, it } from "vitest";
import { claimValue, groupsFromClaims, hasAdminValue, looksLikeJwt, MAX_TOKEN_GROUPS, tokenRights, userFromClaims } from "../../src/auth/claims";
import { impliedScopes, scopeValues, tokenScopes } from "../../src/auth/scopes";

describe("looksLikeJwt", () => {
  it.each([
    ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", true],
    ["eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", true], // alg none: empty signature, still routed to OIDC
    ["a-b_c.d-e_f.g-h_i", true],
    ["demo-token-0123456789", false],
    ["a.b", false],
    ["a.b.c.d", false],
    [".b.c", false],
    ["a..c", false],
    ["a.b.c=", false],
    ["a+b.c/d.e", false],
    ["", false],
  ])("%s → %s", (token, expected) => {
    expect(looksLikeJwt(token)).toBe(expected);
  });
});

describe("claimValue", () => {
  const claims = { sub: "u1", "https://example.org/groups": ["a"], realm_access: { roles: ["wes-admins"] }, "a.b": "flat" };
  it("reads a top-level claim, a namespaced URL claim, and a dotted path", () => {
    expect(claimValue(claims, "sub")).toBe("u1");
    expect(claimValue(claims, "https://example.org/groups")).toEqual(["a"]);
    expect(claimValue(claims, "realm_access.roles")).toEqual(["wes-admins"]);
  });
  it("prefers the literal key over a path, and does not walk into arrays or prototypes", () => {
    expect(claimValue(claims, "a.b")).toBe("flat");
    expect(claimValue(claims, "realm_access.roles.0")).toBeUndefined();
    expect(claimValue(claims, "constructor")).toBeUndefined();
    expect(claimValue(claims, "sub.length")).toBeUndefined();
    expect(claimValue(claims, "missing.path")).toBeUndefined();
  });
});

describe("userFromClaims", () => {
  it("takes a string claim", () => {
    expect(userFromClaims({ sub: "auth0|5f1c" }, "sub")).toEqual({ user: "auth0|5f1c" });
    expect(userFromClaims({ email: "ann@example.org" }, "email")).toEqual({ user: "ann@example.org" });
  });
  it.each([
    [{}, /no 'sub' claim/],
    [{ sub: "" }, /no 'sub' claim/],
    [{ sub: null }, /no 'sub' claim/],
    [{ sub: 42 }, /must be a string/],
    [{ sub: ["a"] }, /must be a string/],
    [{ sub: "a b" }, /without spaces/],
    [{ sub: "a\u0000b" }, /without spaces/],
    [{ sub: "x".repeat(257) }, /at most 256/],
  ])("refuses %j naming the claim", (claims, problem) => {
    const result = userFromClaims(claims, "sub");
    expect("problem" in result && result.problem).toMatch(problem);
  });
});

describe("hasAdminValue", () => {
  it("matches a string claim exactly or an array claim by membership", () => {
    expect(hasAdminValue({ groups: "wes-admins" }, "groups", "wes-admins")).toBe(true);
    expect(hasAdminValue({ groups: ["x", "wes-admins"] }, "groups", "wes-admins")).toBe(true);
    expect(hasAdminValue({ groups: "wes-admins-not" }, "groups", "wes-admins")).toBe(false);
    expect(hasAdminValue({ groups: "x wes-admins" }, "groups", "wes-admins")).toBe(false);
    expect(hasAdminValue({ groups: ["/wes-admins"] }, "groups", "wes-admins")).toBe(false);
    expect(hasAdminValue({ groups: { "wes-admins": true } }, "groups", "wes-admins")).toBe(false);
    expect(hasAdminValue({}, "groups", "wes-admins")).toBe(false);
    expect(hasAdminValue({ realm_access: { roles: ["wes-admins"] } }, "realm_access.roles", "wes-admins")).toBe(true);
  });
});

describe("groupsFromClaims", () => {
  it("reads a list claim, a string claim and a nested one (Keycloak roles)", () => {
    expect(groupsFromClaims({ groups: ["lab1", "lab2", "lab1"] }, "groups")).toEqual(["lab1", "lab2"]);
    expect(groupsFromClaims({ groups: "lab1" }, "groups")).toEqual(["lab1"]);
    expect(groupsFromClaims({ realm_access: { roles: ["lab-x"] } }, "realm_access.roles")).toEqual(["lab-x"]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
  });

  it("drops a Keycloak full path's leading slash, but not a nested path's", () => {
    expect(groupsFromClaims({ groups: ["/lab1", "/org/lab2"] }, "groups")).toEqual(["lab1"]);
  });

  it("ignores what a rule could never name, and caps the count", () => {
    expect(groupsFromClaims({ groups: [1, null, { a: 1 }, "has space", "x".repeat(65), "", "ok.name+1@x"] }, "groups")).toEqual(["ok.name+1@x"]);
    expect(groupsFromClaims({ groups: { lab1: true } }, "groups")).toEqual([]);
    const many = Array.from({ length: 1000 }, (_, i) => `g${i}`);
    expect(groupsFromClaims({ groups: many }, "groups")).toHaveLength(MAX_TOKEN_GROUPS);
  });
});

describe("scopes", () => {
  it("scopeValues splits a string on spaces and keeps the strings of an array", () => {
    expect(scopeValues("openid  wes:read wes:submit")).toEqual(["openid", "wes:read", "wes:submit"]);
    expect(scopeValues(["wes:read", "wes:cancel"])).toEqual(["wes:read", "wes:cancel"]);
    // Any other type is a malformed claim (null), never "no claim".
    for (const claim of [["wes:read", 3, null, "wes:cancel"], undefined, null, 5, true, { read: true }]) expect(scopeValues(claim)).toBeNull();
  });

  it("tokenScopes reads the configured claim, scp and permissions, and ignores foreign scopes", () => {
    expect(tokenScopes({ sub: "x" }, "scope")).toEqual({ carried: false, scopes: new Set() });
    expect(tokenScopes({ scope: "openid email" }, "scope")).toEqual({ carried: true, scopes: new Set() });
    expect(tokenScopes({ scope: "openid wes:read", scp: ["wes:cancel"], permissions: ["wes:submit", "read:all"] }, "scope").scopes).toEqual(
      new Set(["wes:read", "wes:cancel", "wes:submit"]),
    );
    expect(tokenScopes({ roles: ["wes:read"] }, "roles")).toEqual({ carried: true, scopes: new Set(["wes:read"]) });
    expect(tokenScopes({ scope: "WES:READ wes:readx" }, "scope").scopes.size).toBe(0);
  });

  it.each([
    [{ scope: { a: 1 } }, "scope", "scope", "an object"],
    [{ scope: 5 }, "scope", "scope", "a number"],
    [{ scope: null, permissions: null }, "scope", "scope", "null"],
    [{ scope: "wes:read", scp: null }, "scope", "scp", "null"],
    [{ permissions: ["wes:read", 7] }, "scope", "permissions", "a list with items that are not strings"],
    [{ roles: true }, "roles", "roles", "a boolean"],
  ])("tokenScopes: a scope claim of the wrong type (%j) is malformed, not absent", (claims, configured, name, kind) => {
    const read = tokenScopes(claims, configured);
    expect(read.carried).toBe(true);
    expect(read.scopes.size).toBe(0);
    expect(read.malformed).toEqual({ claim: name, kind });
  });

  it("impliedScopes: everything but admin, admin only for admins", () => {
    expect([...impliedScopes(false)]).toEqual(["wes:read", "wes:submit", "wes:cancel", "wes:delete"]);
    expect([...impliedScopes(true)]).toEqual(["wes:read", "wes:submit", "wes:cancel", "wes:delete", "wes:admin"]);
  });
});

describe("tokenRights", () => {
  it("an unscoped token: every non-admin scope; admin with the role", () => {
    expect(tokenRights({}, "scope", false)).toEqual({ admin: false, scopes: impliedScopes(false) });
    expect(tokenRights({}, "scope", true)).toEqual({ admin: true, scopes: impliedScopes(true) });
  });
  it("a scoped token: its scopes; admin needs the role and wes:admin", () => {
    expect(tokenRights({ scope: "wes:read" }, "scope", true)).toEqual({ admin: false, scopes: new Set(["wes:read"]) });
    expect(tokenRights({ scope: "wes:read wes:admin" }, "scope", true)).toEqual({ admin: true, scopes: new Set(["wes:read", "wes:admin"]) });
    // wes:admin without the role is dropped.
    expect(tokenRights({ scope: "wes:read wes:admin" }, "scope", false)).toEqual({ admin: false, scopes: new Set(["wes:read"]) });
  });
  it("a malformed scope claim: no scopes, no admin, and the reason for the 403", () => {
    const rights = tokenRights({ scope: { "wes:submit": true }, groups: ["wes-admins"] }, "scope", true);
    expect(rights).toMatchObject({ admin: false, scopes: new Set() });
    expect(rights.scopeProblem).toMatch(/The token's 'scope' claim must be a space-separated string or a list of strings, but it is an object/);
  });
});
