/**
 * Verifies an OpenID Connect access token (a JWT) with jose: signature by a key from the IdP's
 * key set, only asymmetric algorithms, exact issuer, one of the configured audiences, expiry with
 * the configured clock skew. The result is a Principal whose user, admin role and scopes come
 * from the claims (src/auth/claims.ts).
 */
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { groupsFromClaims, hasAdminValue, MAX_JWT_LENGTH, tokenRights, userFromClaims } from "./claims";
import type { OidcSettings } from "./oidc-config";
import { KeysUnavailable, keyResolver } from "./oidc-keys";
import type { Authentication, Principal, Refusal } from "./principal";

/**
 * The signature algorithms accepted. Only asymmetric ones: with an HMAC algorithm the "secret"
 * would be whatever the verifier holds — the IdP's public key — which anyone can sign with.
 */
export const OIDC_ALGORITHMS = ["RS256", "ES256", "PS256"] as const;

/** JWS algorithm names (RFC 7518 and RFC 8037), the only header values a refusal repeats. */
const JOSE_ALGORITHMS = new Set([
  "none",
  "HS256",
  "HS384",
  "HS512",
  "RS256",
  "RS384",
  "RS512",
  "ES256",
  "ES384",
  "ES512",
  "PS256",
  "PS384",
  "PS512",
  "EdDSA",
  "ES256K",
  "Ed25519",
]);

function refuse(reason: string, guess: boolean): Refusal {
  return { kind: "invalid", reason, scheme: "bearer", bearerError: "invalid_token", guess };
}

/** Maps jose's errors to a 401 reason; `guess` is false once the signature has been verified. */
function refusalFor(error: unknown, settings: OidcSettings): Refusal {
  if (error instanceof errors.JWTExpired) return refuse("The token has expired.", false);
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "iss":
        return refuse(`The token was issued by another issuer; this service accepts tokens from ${settings.issuer}.`, false);
      case "aud":
        return refuse(`The token is not meant for this service: its audience (aud) must include ${settings.audiences.join(" or ")}.`, false);
      case "nbf":
        return refuse("The token is not valid yet (nbf).", false);
      case "exp":
        return refuse("The token has no expiry (exp); tokens without one are not accepted.", false);
      default:
        return refuse(`The token's '${error.claim}' claim is not valid.`, false);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse(`The token's signing algorithm is not accepted; use ${OIDC_ALGORITHMS.join(", ")}.`, true);
  if (error instanceof errors.JWKSNoMatchingKey) return refuse("The token was not signed by a key the identity provider publishes (unknown kid).", true);
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return refuse("Several of the identity provider's keys match the token; it must name its key (kid).", true);
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse("The token's signature is not valid.", true);
  return refuse("The token is not a well-formed signed JWT.", true);
}

/** Verifies a JWT bearer token against the OIDC settings. */
export async function verifyOidcToken(token: string, settings: OidcSettings): Promise<Authentication> {
  if (token.length > MAX_JWT_LENGTH) return refuse(`The token is longer than ${MAX_JWT_LENGTH} characters.`, false);
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return refuse("The token is not a well-formed signed JWT.", true);
  }
  // Checked before any key lookup, so tokens with a foreign algorithm never trigger a key refresh.
  if (typeof alg !== "string" || !(OIDC_ALGORITHMS as readonly string[]).includes(alg)) {
    // Named only when it is a registered JOSE algorithm: nothing else from the token is repeated.
    const named = typeof alg === "string" && JOSE_ALGORITHMS.has(alg) ? ` '${alg}'` : "";
    return refuse(`The token's signing algorithm${named} is not accepted; use ${OIDC_ALGORITHMS.join(", ")}.`, true);
  }
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keyResolver(settings), {
      algorithms: [...OIDC_ALGORITHMS],
      issuer: settings.issuer,
      audience: settings.audiences,
      clockTolerance: settings.clockSkewSeconds,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof KeysUnavailable) return { kind: "unavailable", reason: `The identity provider's signing keys are unavailable: ${error.message}` };
    return refusalFor(error, settings);
  }
  // jose checks iat only together with maxTokenAge; a token from the future is refused here.
  if (typeof claims.iat === "number" && claims.iat > Date.now() / 1000 + settings.clockSkewSeconds) {
    return refuse("The token was issued in the future (iat); check the clocks.", false);
  }
  const user = userFromClaims(claims, settings.userClaim);
  if ("problem" in user) return refuse(user.problem, false);
  const adminRole = settings.admin ? hasAdminValue(claims, settings.admin.claim, settings.admin.value) : false;
  const rights = tokenRights(claims, settings.scopeClaim, adminRole);
  const groups = settings.groupsClaim ? groupsFromClaims(claims, settings.groupsClaim) : [];
  const principal: Principal = { user: user.user, admin: rights.admin, scheme: "oidc", scopes: rights.scopes, groups };
  if (rights.scopeProblem) principal.scopeProblem = rights.scopeProblem;
  return { kind: "authenticated", principal };
}
