/** Types of scripts/vendor-wes-openapi.mjs (imported by test/node/openapi.test.ts). */
export function wesOpenApi(): Record<string, unknown>;
export function wesOpenApiText(): string;
