// Renders /openapi.json with Swagger UI, served from this Worker: nothing comes from other origins.
// This page may connect to its own origin only (its Content-Security-Policy, docs/security.md), so
// Swagger UI could not fetch an OpenID provider's discovery document: the OpenID Connect scheme is
// left out here, and an access token from the provider goes into the "bearerAuth" field instead.
fetch("/openapi.json", { credentials: "omit" })
  .then((res) => res.json())
  .then((spec) => {
    const schemes = spec.components?.securitySchemes ?? {};
    if (schemes.oidc) {
      delete schemes.oidc;
      for (const item of Object.values(spec.paths ?? {})) {
        for (const operation of Object.values(item)) {
          if (Array.isArray(operation.security)) operation.security = operation.security.filter((requirement) => !("oidc" in requirement));
        }
      }
    }
    window.ui = window.SwaggerUIBundle({
      spec,
      dom_id: "#swagger-ui",
      deepLinking: true,
      // No validator badge: it would call validator.swagger.io.
      validatorUrl: null,
      persistAuthorization: false,
    });
  })
  .catch((error) => {
    document.getElementById("swagger-ui").textContent = `The API description could not be loaded: ${error}`;
  });
