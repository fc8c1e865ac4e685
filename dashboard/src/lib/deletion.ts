/** What deleting a run does to its outputs, as the dashboard tells the user before and after. */

/**
 * The sentence about the run's S3 outputs, from service-info's `delete_outputs` tag
 * (WES_DELETE_OUTPUTS): `before` in the confirmation, `after` once deleted (the outputs go in the
 * background). Without the tag (an older service, or service-info not read yet) it hedges.
 */
export function outputsOnDelete(tags: Record<string, string> | undefined, when: "before" | "after"): string {
  switch (tags?.delete_outputs) {
    case "true":
      return when === "before" ? "Its outputs in S3 will be deleted too." : "Its outputs in S3 are being deleted too.";
    case "false":
      return "Its outputs in S3 are kept.";
    default:
      return "Its outputs in S3 are kept unless this service is set to delete them.";
  }
}
