/**
 * The storage-URI scanner (src/wes/storage-uri.ts): linear work whatever the input's shape,
 * control characters read the way URL parsers read them, and the other ways to name S3 data
 * (endpoint URLs, ARNs, access points).
 */
import { describe, expect, it } from "vitest";
import { checkInputs, refusalMessage, type AccessPolicy } from "../../src/wes/data-access";
import { MAX_MENTION_CHARS, mentions, type ScanMeter } from "../../src/wes/storage-uri";

const POLICY: AccessPolicy = { user: "demo", outputPrefix: "s3://wes-local-outputs/", allowed: null };

function verdict(value: string, policy: AccessPolicy = POLICY): string | null {
  const refusal = checkInputs({ input: value }, policy);
  return refusal ? refusalMessage(refusal) : null;
}

/** Characters the scanner examined for `value`. */
function cost(value: string): number {
  const meter: ScanMeter = { examined: 0 };
  mentions(value, meter);
  return meter.examined;
}

/** The worst shapes for a scanner that reads each mention to the end of the text. */
const SHAPES: Record<string, (n: number) => string> = {
  "comma-separated URI list": (n) =>
    Array.from({ length: Math.ceil(n / 44) }, (_, i) => `s3://lab-bucket/project/sample_${String(i).padStart(5, "0")}.bam`)
      .join(",")
      .slice(0, n),
  '"x" + "s3://" repeated': (n) => `x${"s3://".repeat(Math.ceil(n / 5))}`.slice(0, n),
  "repeated schemes from the start": (n) => "s3://".repeat(Math.ceil(n / 5)).slice(0, n),
  "percent-encoded schemes": (n) => `x${"s3%3A%2F%2F".repeat(Math.ceil(n / 11))}`.slice(0, n),
  "doubly percent-encoded schemes": (n) => `x${"s3%253A%252F%252Fb%252F".repeat(Math.ceil(n / 23))}`.slice(0, n),
  backslashes: (n) => `x${"s3:\\\\b\\".repeat(Math.ceil(n / 7))}`.slice(0, n),
  "tabs inside schemes": (n) => `x${"s\t3:/\t/b/".repeat(Math.ceil(n / 10))}`.slice(0, n),
  "one long key": (n) => `s3://b/${"k".repeat(n)}`.slice(0, n),
  "long authority of dots": (n) => `x s3://${".".repeat(n)}`.slice(0, n),
  "https endpoint URLs": (n) => `x${"https://wes-local-outputs.s3.amazonaws.com/".repeat(Math.ceil(n / 44))}`.slice(0, n),
  ARNs: (n) => `x${"arn:aws:s3:::b/".repeat(Math.ceil(n / 15))}`.slice(0, n),
  mixed: (n) => `x${"s3://a/%2e,\\s3:\t//b/k arn:aws:s3:::c/ https://s3.amazonaws.com/d/".repeat(Math.ceil(n / 70))}`.slice(0, n),
};

describe("the scanner's work is linear in its input", () => {
  // A generous constant: about 20 forms of the text at most, each scanned a small number of times.
  const C = 200;
  const N = 20_000;

  it.each(Object.keys(SHAPES))("%s: at most c·n characters examined at n and 4n", (shape) => {
    const make = SHAPES[shape]!;
    const small = cost(make(N));
    const large = cost(make(4 * N));
    expect(small).toBeLessThanOrEqual(C * N);
    expect(large).toBeLessThanOrEqual(C * 4 * N);
    // Linear growth: four times the input, about four times the work (never 16×).
    expect(large / small).toBeLessThan(6);
  });

  it("the meter counts real work (an empty text costs nothing, a long one costs at least its length)", () => {
    expect(cost("")).toBe(0);
    expect(cost(`s3://b/${"k".repeat(10_000)}`)).toBeGreaterThanOrEqual(10_000);
  });

  it("a mention is at most MAX_MENTION_CHARS long, and a cut one is read as a prefix", () => {
    const long = `s3://wes-local-outputs/users/demo/${"k".repeat(2 * MAX_MENTION_CHARS)}`;
    const found = mentions(long);
    expect(found.every((m) => m.text.length <= MAX_MENTION_CHARS)).toBe(true);
    expect(verdict(long)).toBeNull();
    expect(verdict(`s3://wes-local-outputs/users/guest/${"k".repeat(2 * MAX_MENTION_CHARS)}`)).toMatch(/another user's/);
  });

  it("each mention in a comma-separated list is checked, whatever its position", () => {
    const list = Array.from({ length: 500 }, (_, i) => `s3://lab-bucket/sample_${i}.bam`);
    expect(verdict(list.join(","))).toBeNull();
    list[377] = "s3://wes-local-outputs/users/guest/x.bam";
    expect(verdict(list.join(","))).toMatch(/another user's output folder \(s3:\/\/wes-local-outputs\/users\/guest\/\)/);
  });

  it("a URI glued to the next one is read as a prefix (it may go on), bucket included", () => {
    expect(verdict("s3://wes-local-outputs/users/demo/as3://ok/x")).toBeNull();
    expect(verdict("s3://wes-locals3://ok/x")).toMatch(/output area/);
  });
});

describe("control characters: read as a URL parser reads them", () => {
  it.each([
    "s3://wes-local-outputs/users/demo/\t../guest/runs/x/out.txt",
    "s3://wes-local-\toutputs/users/guest/x",
    "s3:/\t/wes-local-outputs/users/guest/x",
    "s\t3://wes-local-outputs/users/guest/x",
    "s3://wes-local-outputs/users/demo/\n../guest/runs/x/out.txt",
    "s3://wes-local-\noutputs/users/guest/x",
    "s\n3://wes-local-outputs/users/guest/x",
    "s3://wes-local-outputs/users/demo/\r../guest/runs/x/out.txt",
    "s\r3://wes-local-outputs/users/guest/x",
    "s3://wes-local-outputs/users/demo/%09../guest/runs/x/out.txt",
    "s3://wes-local-outputs/users/demo/.\t./guest/x",
    "\u0000s3://wes-local-outputs/users/guest/x",
    " \u001fs3://wes-local-outputs/users/guest/x\u0001",
    "s3://wes-local-outputs/users/demo/\u0000/x",
    "s\u00003://wes-local-outputs/users/guest/x",
    "s3:/\u0000/wes-local-outputs/users/guest/x",
    "s3://wes-local-\u007foutputs/users/guest/x",
    "s%003://wes-local-outputs/users/guest/x",
    "see s\t3://wes-local-outputs/users/guest/x",
    "--in=s3:/\n/wes-local-outputs/users/guest/x",
  ])("refuses %j", (value) => {
    expect(verdict(value)).toMatch(/another user's|path segments|control character|output area/);
  });

  it.each(["s\t3://private-bucket/x", "s3:/\n/private-bucket/x", "s3://private-\rbucket/x", "\u0000s3://private-bucket/x"])(
    "an allow list sees %j too",
    (value) => {
      const policy: AccessPolicy = { ...POLICY, allowed: [{ scheme: "s3", host: "refs", folder: "", text: "s3://refs/" }] };
      expect(verdict(value, policy)).toMatch(/not in a location|control character/);
    },
  );

  it("accepts ordinary text with tabs and newlines around URIs, and lists of URIs one per line", () => {
    expect(verdict("first line\ns3://lab-bucket/a.bam\tother")).toBeNull();
    expect(verdict("s3://wes-local-outputs/users/demo/runs/x/out.txt\n")).toBeNull();
    expect(verdict("s3://lab-bucket/a.bam\ns3://lab-bucket/b.bam\r\ns3://wes-local-outputs/users/demo/c.bam\ts3://lab-bucket/d.bam")).toBeNull();
    expect(verdict("s3://lab-bucket/a.bam\ns3://wes-local-outputs/users/guest/b.bam")).toMatch(/another user's/);
  });
});

describe("other ways to name S3 data", () => {
  it.each([
    "https://wes-local-outputs.s3.us-east-1.amazonaws.com/users/guest/x",
    "https://wes-local-outputs.s3.amazonaws.com/users/guest/x",
    "HTTPS://WES-LOCAL-OUTPUTS.S3.AMAZONAWS.COM/users/guest/x",
    "http://wes-local-outputs.s3.amazonaws.com./users/guest/x",
    "https://user@wes-local-outputs.s3.amazonaws.com:443/users/guest/x",
    "https://wes-local-outputs.s3-us-west-2.amazonaws.com/users/guest/x",
    "https://wes-local-outputs.s3.dualstack.us-east-1.amazonaws.com/users/guest/x",
    "https://wes-local-outputs.s3-fips.us-east-1.amazonaws.com/users/guest/x",
    "https://wes-local-outputs.s3-fips.dualstack.us-gov-west-1.amazonaws.com/users/guest/x",
    "https://wes-local-outputs.s3.cn-north-1.amazonaws.com.cn/users/guest/x",
    "https://s3.us-east-1.amazonaws.com/wes-local-outputs/users/guest/x",
    "https://s3.amazonaws.com/wes-local-outputs/users/guest/x",
    "https://s3-us-west-2.amazonaws.com/wes-local-outputs/users/guest/x",
    "https://s3.dualstack.eu-west-1.amazonaws.com/wes-local-outputs/users/guest/x",
    "https://s3-fips.us-east-1.amazonaws.com/wes-local-outputs/users/guest/x",
    "https:\\\\s3.amazonaws.com\\wes-local-outputs\\users\\guest\\x",
    "https://s3.amazonaws.com/wes-local-outputs/users/demo/../guest/x",
    "https://s3.amazonaws.com/wes-local-outputs/users/guest/x?versionId=1",
    "https://wes-local-outputs.s3.amazonaws.com/",
    "https://wes-local-outputs.s3.amazonaws.com",
    "see https://s3.amazonaws.com/wes-local-outputs/users/guest/x",
    "arn:aws:s3:::wes-local-outputs/users/guest/x",
    "ARN:AWS:S3:::wes-local-outputs/users/guest/x",
    "arn:aws:s3:::wes-local-outputs",
    "arn:aws-us-gov:s3:::wes-local-outputs/users/guest/x",
    "arn:aws:s3:::wes-local-outputs/users/demo/../guest/x",
  ])("checks %s like s3://", (value) => {
    expect(verdict(value)).toMatch(/another user's|output area|path segments/);
  });

  it.each([
    "https://wes-local-outputs.s3.us-east-1.amazonaws.com/users/demo/runs/x/out.bam",
    "https://s3.us-east-1.amazonaws.com/wes-local-outputs/users/demo/x",
    "arn:aws:s3:::wes-local-outputs/users/demo/x",
    "https://lab-bucket.s3.amazonaws.com/a.bam",
    "arn:aws:s3:::lab-bucket/a.bam",
    "https://example.org/data/users/guest/x",
    "https://sts.amazonaws.com/",
    "arn:aws:omics:us-east-1:123456789012:workflow/1000001",
    "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
  ])("accepts %s", (value) => {
    expect(verdict(value)).toBeNull();
  });

  it.each([
    ["arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap/object/users/guest/x", /access point/],
    ["arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap", /access point/],
    ["arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/olap", /access point/],
    ["arn:aws:s3-outposts:us-east-1:123456789012:outpost/op-1/bucket/b", /access point/],
    ["s3://my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias/users/guest/x", /access point alias/],
    ["https://my-ap-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias.s3.us-east-1.amazonaws.com/x", /access point alias/],
    ["https://my-ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/users/guest/x", /S3 endpoint/],
    ["https://b.s3-website-us-east-1.amazonaws.com/x", /S3 endpoint/],
    ["https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/x", /S3 endpoint/],
  ])("refuses %s", (value, reason) => {
    expect(verdict(value)).toMatch(reason);
  });

  it("an allow list admits endpoint URLs and ARNs of an allowed bucket, and only those", () => {
    const policy: AccessPolicy = { ...POLICY, allowed: [{ scheme: "s3", host: "refs", folder: "hg38/", text: "s3://refs/hg38/" }] };
    expect(verdict("https://refs.s3.us-east-1.amazonaws.com/hg38/x.fa", policy)).toBeNull();
    expect(verdict("https://s3.amazonaws.com/refs/hg38/x.fa", policy)).toBeNull();
    expect(verdict("arn:aws:s3:::refs/hg38/x.fa", policy)).toBeNull();
    expect(verdict("https://refs.s3.amazonaws.com/secret/x", policy)).toMatch(/not in a location/);
    expect(verdict("arn:aws:s3:::other/x", policy)).toMatch(/not in a location/);
  });
});
