/** OpenAPI parameters shared by the run listings (GET /runs and GET /overview/runs): paging and filters (src/wes/run-filters.ts). */

/** page_size and page_token, as WES ListRuns declares them. */
export const PAGING_PARAMETERS = [
  {
    name: "page_size",
    in: "query",
    description: "Runs per page: default 50, at most 500 (larger values are capped).",
    schema: { type: "integer", format: "int64" },
  },
  {
    name: "page_token",
    in: "query",
    description: "next_page_token of the previous page. It carries that listing's filters: send it alone or with the same filters.",
    schema: { type: "string" },
  },
];

/** The filters (not WES 1.1; in the spirit of GA4GH WES proposal #213). */
export const FILTER_PARAMETERS = [
  {
    name: "state",
    in: "query",
    description: "Runs in any of these states (repeatable; case-insensitive). Not part of WES 1.1.",
    style: "form",
    explode: true,
    schema: { type: "array", items: { $ref: "#/components/schemas/State" } },
  },
  {
    name: "tag",
    in: "query",
    description: "Runs carrying the tag <key>:<value>, split at the first ':' (repeatable: all must match). Not part of WES 1.1.",
    style: "form",
    explode: true,
    schema: { type: "array", items: { type: "string", pattern: ":" } },
  },
  {
    name: "tag_key",
    in: "query",
    description: "With tag_value, a tag filter for keys that contain ':' (the n-th tag_value pairs with the n-th tag_key). Not part of WES 1.1.",
    style: "form",
    explode: true,
    schema: { type: "array", items: { type: "string", minLength: 1, maxLength: 128 } },
  },
  {
    name: "tag_value",
    in: "query",
    description: "The value of the n-th tag_key. Not part of WES 1.1.",
    style: "form",
    explode: true,
    schema: { type: "array", items: { type: "string", maxLength: 256 } },
  },
  {
    name: "name",
    in: "query",
    description: "Runs with exactly this name (workflow_engine_parameters.name, also the HealthOmics run name). Not part of WES 1.1.",
    schema: { type: "string", minLength: 1, maxLength: 128 },
  },
];
