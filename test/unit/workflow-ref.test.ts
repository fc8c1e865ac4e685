/** workflow_url → HealthOmics workflow reference: every accepted form, and clear rejections. */
import { describe, expect, it } from "vitest";
import { ACCEPTED_FORMS, isWorkflowVersionName, parseWorkflowRef, type WorkflowRef } from "../../src/executors/healthomics/submit/workflow-ref";

function ok(url: string): WorkflowRef {
  const result = parseWorkflowRef(url);
  if (!result.ok) throw new Error(`expected '${url}' to parse: ${result.message}`);
  return result.ref;
}

function rejection(url: string): string {
  const result = parseWorkflowRef(url);
  if (result.ok) throw new Error(`expected '${url}' to be rejected, got ${JSON.stringify(result.ref)}`);
  return result.message;
}

describe("parseWorkflowRef accepts", () => {
  it.each([
    ["healthomics:1234567", { workflowId: "1234567" }],
    ["HealthOmics:1234567", { workflowId: "1234567" }],
    ["HEALTHOMICS:42", { workflowId: "42" }],
    ["  healthomics:1000001  ", { workflowId: "1000001" }],
    ["1234567", { workflowId: "1234567" }],
    ["123456789012345678", { workflowId: "123456789012345678" }],
    ["omics://workflow/1234567", { workflowId: "1234567" }],
    ["OMICS://workflow/1234567/", { workflowId: "1234567" }],
  ])("%s", (url, expected) => {
    expect(ok(url)).toEqual(expected);
  });

  it("a private workflow ARN (PRIVATE, region kept for the region check)", () => {
    expect(ok("arn:aws:omics:us-east-1:123456789012:workflow/1234567")).toEqual({ workflowId: "1234567", region: "us-east-1", workflowType: "PRIVATE" });
  });

  it("a Ready2Run ARN with an empty account (READY2RUN)", () => {
    expect(ok("arn:aws:omics:us-east-1::workflow/9000001")).toEqual({ workflowId: "9000001", region: "us-east-1", workflowType: "READY2RUN" });
  });

  it("ARNs of other partitions", () => {
    expect(ok("arn:aws-us-gov:omics:us-gov-west-1:123456789012:workflow/7")).toMatchObject({ workflowId: "7", region: "us-gov-west-1" });
    expect(ok("arn:aws-cn:omics:cn-north-1::workflow/7")).toMatchObject({ workflowType: "READY2RUN", region: "cn-north-1" });
  });

  it("an ARN naming a workflow version", () => {
    expect(ok("arn:aws:omics:eu-west-1:123456789012:workflow/1234567/version/v1.2_beta-3")).toEqual({
      workflowId: "1234567",
      region: "eu-west-1",
      workflowType: "PRIVATE",
      versionName: "v1.2_beta-3",
    });
    expect(ok("arn:aws:omics:us-east-1::workflow/9000001/version/2024.1")).toMatchObject({ workflowType: "READY2RUN", versionName: "2024.1" });
  });

  it("prefixes healthomics: and omics:// in any case (ARNs themselves are case-sensitive)", () => {
    expect(ok("hEaLtHoMiCs:5").workflowId).toBe("5");
    expect(ok("Omics://Workflow/5").workflowId).toBe("5");
    // An upper-case ARN is recognised as an attempted ARN and explained as such.
    expect(rejection("ARN:aws:omics:us-east-1:123456789012:workflow/5")).toContain("is not a HealthOmics workflow ARN");
  });
});

describe("parseWorkflowRef rejects", () => {
  it.each([
    "https://example.org/workflows/main.wdl",
    "http://example.org/main.cwl",
    "trs://dockstore.org/github.com/org/repo:main",
    "s3://bucket/main.wdl",
    "file:///home/user/main.wdl",
  ])("a URL to a workflow file: %s", (url) => {
    const msg = rejection(url);
    expect(msg).toContain("registered in AWS HealthOmics only");
    expect(msg).toContain(ACCEPTED_FORMS);
  });

  it.each(["main.wdl", "workflows/main.cwl", "./main.nf"])("a relative attachment name: %s", (url) => {
    const msg = rejection(url);
    expect(msg).toMatch(/file name or relative path/);
    expect(msg).toContain("healthomics:<workflow-id>");
  });

  it.each([
    ["healthomics:abc", /numeric workflow id/],
    ["healthomics:", /numeric workflow id/],
    ["healthomics:12 34", /numeric workflow id/],
    ["healthomics:1234567890123456789", /numeric workflow id/], // 19 digits: too long
    ["omics://workflow/abc", /omics:\/\/workflow\/<numeric id>/],
    ["omics://run/123", /omics:\/\/workflow\/<numeric id>/],
    ["arn:aws:omics:us-east-1:123456789012:run/1234567", /not a HealthOmics workflow ARN/],
    ["arn:aws:omics:us-east-1:12345:workflow/1", /not a HealthOmics workflow ARN/],
    ["arn:aws:s3:::bucket", /not a HealthOmics workflow ARN/],
  ])("%s", (url, why) => {
    const msg = rejection(url);
    expect(msg).toMatch(why);
    expect(msg).toContain(`Accepted forms: ${ACCEPTED_FORMS}`);
  });

  it("a bare id that is too long", () => {
    expect(rejection("1".repeat(19))).toContain(ACCEPTED_FORMS);
  });

  it.each(["-v1", ".hidden", "a".repeat(65), "v 1"])("an ARN with an invalid version '%s'", (version) => {
    const msg = rejection(`arn:aws:omics:us-east-1:123456789012:workflow/1234567/version/${version}`);
    expect(msg).toMatch(/invalid workflow version|not a HealthOmics workflow ARN/);
    expect(msg).toContain(ACCEPTED_FORMS);
  });

  it("clips very long input in the message", () => {
    const msg = rejection(`https://example.org/${"x".repeat(5000)}`);
    expect(msg.length).toBeLessThan(1500);
    expect(msg).toContain("...");
  });
});

describe("isWorkflowVersionName", () => {
  it.each([
    ["v1", true],
    ["1.0.0", true],
    ["a".repeat(64), true],
    ["a".repeat(65), false],
    ["_v1", false],
    ["", false],
    ["v1/2", false],
  ])("%s → %s", (name, expected) => {
    expect(isWorkflowVersionName(name)).toBe(expected);
  });
});
