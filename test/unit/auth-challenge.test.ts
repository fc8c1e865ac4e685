/** WWW-Authenticate challenges and the OIDC settings parser. */
import { describe, expect, it } from "vitest";
import { challenge, quotable } from "../../src/auth/challenge";
import type { AuthModes } from "../../src/auth/credentials";
import { oidcSettings, secureUrl } from "../../src/auth/oidc-config";

const modes = (basic: boolean, staticTokens: boolean, oidc: boolean): AuthModes => ({
  basic,
  staticTokens,
  oidc: oidc ? { issuer: "https://idp.example", audiences: ["wes"], userClaim: "sub", scopeClaim: "scope", clockSkewSeconds: 60, refreshSeconds: 30 } : null,
});

describe("challenge", () => {
  it("lists exactly the enabled schemes", () => {
    expect(challenge(modes(true, true, false))).toBe('Basic realm="GA4GH WES", charset="UTF-8", Bearer realm="GA4GH WES"');
    expect(challenge(modes(true, false, false))).toBe('Basic realm="GA4GH WES", charset="UTF-8"');
    expect(challenge(modes(false, true, false))).toBe('Bearer realm="GA4GH WES"');
    expect(challenge(modes(false, false, true))).toBe('Bearer realm="GA4GH WES"');
    // Nothing configured: still a challenge (a 401 must carry one).
    expect(challenge(modes(false, false, false))).toBe('Basic realm="GA4GH WES", charset="UTF-8", Bearer realm="GA4GH WES"');
  });

  it("adds RFC 6750 error attributes to Bearer", () => {
    expect(challenge(modes(true, false, true), { error: "invalid_token", description: "The token has expired." })).toBe(
      'Basic realm="GA4GH WES", charset="UTF-8", Bearer realm="GA4GH WES", error="invalid_token", error_description="The token has expired."',
    );
    expect(challenge(modes(false, false, true), { error: "insufficient_scope", description: "needs wes:submit", scope: "wes:submit" })).toBe(
      'Bearer realm="GA4GH WES", error="insufficient_scope", error_description="needs wes:submit", scope="wes:submit"',
    );
  });

  it("keeps quoted strings within RFC 6750's characters", () => {
    expect(quotable('a "b" \\ c\u00e9\n')).toBe("a 'b' ' c??");
    expect(quotable("x".repeat(1000)).length).toBe(300);
  });
});

describe("oidcSettings", () => {
  const base = { WES_OIDC_ISSUER: "https://idp.example/realms/wes", WES_OIDC_AUDIENCE: "wes-api, other" };
  const parse = (vars: Record<string, string>) => oidcSettings(vars as unknown as Env);

  it("is off without an issuer", () => {
    expect(parse({ WES_OIDC_ISSUER: "", WES_OIDC_USER_CLAIM: "sub" })).toBeNull();
  });

  it("reads the settings with their defaults", () => {
    expect(parse(base)).toEqual({
      issuer: "https://idp.example/realms/wes",
      audiences: ["wes-api", "other"],
      userClaim: "sub",
      scopeClaim: "scope",
      clockSkewSeconds: 60,
      refreshSeconds: 30,
    });
    expect(
      parse({
        ...base,
        WES_OIDC_ADMIN_CLAIM: "groups",
        WES_OIDC_ADMIN_VALUE: "wes-admins",
        WES_OIDC_JWKS_URL: "https://idp.example/certs",
        WES_OIDC_CLOCK_SKEW_SECONDS: "0",
      }),
    ).toMatchObject({
      admin: { claim: "groups", value: "wes-admins" },
      jwksUrl: "https://idp.example/certs",
      clockSkewSeconds: 0,
    });
  });

  it.each([
    [{ WES_OIDC_AUDIENCE: "" }, "WES_OIDC_AUDIENCE"],
    [{ WES_OIDC_ISSUER: "http://idp.example" }, "WES_OIDC_ISSUER must be an https URL"],
    [{ WES_OIDC_ISSUER: "https://user:pw@idp.example" }, "WES_OIDC_ISSUER"],
    [{ WES_OIDC_JWKS_URL: "ftp://idp.example/keys" }, "WES_OIDC_JWKS_URL"],
    [{ WES_OIDC_ADMIN_CLAIM: "groups" }, "set together"],
    [{ WES_OIDC_USER_CLAIM: "has space" }, "WES_OIDC_USER_CLAIM"],
    [{ WES_OIDC_CLOCK_SKEW_SECONDS: "601" }, "WES_OIDC_CLOCK_SKEW_SECONDS"],
    [{ WES_OIDC_JWKS_REFRESH_SECONDS: "0" }, "WES_OIDC_JWKS_REFRESH_SECONDS"],
  ])("%j is a ConfigError naming %s", (override, name) => {
    expect(() => parse({ ...base, ...override })).toThrow(name);
  });

  it("allows plain http only for loopback hosts", () => {
    expect(secureUrl("http://127.0.0.1:8080/t/x")).toBe(true);
    expect(secureUrl("http://localhost/x")).toBe(true);
    expect(secureUrl("http://[::1]:9/x")).toBe(true);
    expect(secureUrl("http://10.0.0.1/x")).toBe(false);
    expect(secureUrl("https://idp.example")).toBe(true);
    expect(secureUrl("not a url")).toBe(false);
  });
});
