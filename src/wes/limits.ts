/** Request size limits (documented in docs/usage.md). */

/** Largest JSON or urlencoded body: 1 MiB (files need multipart). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest multipart body, attachments included: 100 MB, Cloudflare's request size limit on every plan. */
export const MAX_MULTIPART_BYTES = 100 * 1000 * 1000;
/** The text fields of a multipart body together (workflow_params, tags, …): 1 MiB. */
export const MAX_FIELD_BYTES = 1024 * 1024;
/** Most `workflow_attachment` parts in one submission. */
export const MAX_ATTACHMENTS = 200;
