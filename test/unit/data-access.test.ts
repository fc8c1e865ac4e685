/** The data-access check: storage URIs in workflow_params against the output area and the allow lists. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { checkInputs, ownerSegment, refusalMessage, userOutputPrefix, type AccessPolicy } from "../../src/wes/data-access";
import { allowedPrefixes, dataAccessSettings } from "../../src/wes/data-access-config";
import { mentions, parseStoragePrefix, type StoragePrefix } from "../../src/wes/storage-uri";

const DEFAULT: AccessPolicy = { user: "alice", outputPrefix: "s3://wes-outputs/", allowed: null };
const STORE = "omics://123456789012.storage.us-east-1.amazonaws.com";

/** The refusal message for one string parameter, or null when it is accepted. */
function verdict(value: unknown, policy: AccessPolicy = DEFAULT): string | null {
  const refusal = checkInputs({ input: value }, policy);
  return refusal ? refusalMessage(refusal) : null;
}

function prefixes(...texts: string[]): StoragePrefix[] {
  return texts.map((text) => {
    const parsed = parseStoragePrefix(text);
    if (typeof parsed === "string") throw new Error(`${text}: ${parsed}`);
    return parsed;
  });
}

describe("ownerSegment and the output layout", () => {
  it.each([
    ["alice", "alice"],
    ["alice.smith@example.org", "alice.smith@example.org"],
    ["a+b_c-d", "a+b_c-d"],
    ["Alice", "Alice"],
    [".", "~2e"],
    ["..", "~2e2e"],
    [".hidden", "~2e68696464656e"],
    ["a/b", "~612f62"],
    ["~x", "~7e78"],
    ["é", "~c3a9"],
  ])("%s → %s", (owner, segment) => {
    expect(ownerSegment(owner)).toBe(segment);
  });

  it("encodes names longer than 64 characters, so a plain name never collides with an encoded one", () => {
    expect(ownerSegment("a".repeat(64))).toBe("a".repeat(64));
    expect(ownerSegment("é".repeat(32))).toBe(`~${"c3a9".repeat(32)}`);
    expect(ownerSegment("a".repeat(65))).toMatch(/^~a{40}~[0-9a-f]{32}$/);
  });

  it("bounds long names: a readable prefix and a hash, never longer than 74 characters, never colliding", () => {
    const long = ["é".repeat(256), "a".repeat(256), `${"a".repeat(255)}b`, `alice.${"x".repeat(100)}`, "a/".repeat(100), "~".repeat(200)];
    const segments = long.map(ownerSegment);
    for (const segment of segments) {
      expect(segment.length).toBeLessThanOrEqual(74);
      expect(segment).toMatch(/^~[A-Za-z0-9._@+-]*~[0-9a-f]{32}$/);
    }
    expect(new Set(segments).size).toBe(long.length);
    expect(ownerSegment(`alice.${"x".repeat(100)}`)).toMatch(/^~alice\.x{34}~/);
    expect(ownerSegment("é".repeat(256))).toBe(ownerSegment("é".repeat(256)));
  });

  it("puts a user's folder under users/ of the output prefix", () => {
    expect(userOutputPrefix("s3://wes-outputs/", "alice")).toBe("s3://wes-outputs/users/alice/");
    expect(userOutputPrefix("s3://wes-outputs/prefix/", "..")).toBe("s3://wes-outputs/prefix/users/~2e2e/");
  });
});

describe("default rule (WES_ALLOWED_INPUT_PREFIXES empty)", () => {
  it.each([
    "s3://example-bucket/sample.fastq",
    "s3://b/k",
    "s3://wes-outputs/users/alice/runs/r1/123/out/sample.bam",
    "S3://WES-OUTPUTS/users/alice/x",
    "s3://wes-outputs/users/alice/",
    "s3://wes-outputs/users/alice/runs/*/out/*.bam",
    "s3://wes-outputs/users/alice//runs/r1/x",
    `${STORE}/1234567890/readSet/1234567890/source1`,
    `${STORE}/1234567890/reference/9876543210/index`,
    "plain text, no URI",
    "arn:aws:omics:us-east-1:123456789012:workflow/1000001",
    "50%",
    "",
  ])("accepts %s", (uri) => {
    expect(verdict(uri)).toBeNull();
  });

  it.each([[42], [true], [null], [3.5], [{}], [[]]])("ignores non-string value %j", (value) => {
    expect(verdict(value)).toBeNull();
  });

  it.each([
    ["s3://wes-outputs/users/bob/runs/r9/1/out.bam", /another user's output folder \(s3:\/\/wes-outputs\/users\/bob\/\)/],
    ["S3://Wes-Outputs/users/bob/x", /another user's output folder/],
    ["s3://wes-outputs/users/Alice/x", /another user's output folder \(s3:\/\/wes-outputs\/users\/Alice\/\)/],
    ["s3://wes-outputs/users/alicex/y", /another user's output folder/],
    ["s3://wes-outputs/users/bob/../alice/x", /'\.' or '\.\.' path segments/],
    ["s3://wes-outputs/users/alice/../bob/x", /'\.' or '\.\.' path segments/],
    ["s3://wes-outputs/users/alice/./x", /'\.' or '\.\.' path segments/],
    ["s3://wes-outputs/users/alice/%2e%2e/bob/x", /'\.' or '\.\.' path segments/],
    ["s3://wes-outputs/users/alice/%2E%2E/bob/x", /'\.' or '\.\.' path segments/],
    ["s3://wes-outputs/users/alice/%252e%252e/bob/x", /'\.' or '\.\.' path segments/],
    ["s3://wes-outputs//users/bob/x", /output area|another user's/],
    ["s3://wes-outputs/users//bob/x", /another user's|other users'/],
    ["s3://wes-outputs/users%2Fbob/x", /output area|another user's/],
    ["s3%3A%2F%2Fwes-outputs%2Fusers%2Fbob%2Fx", /another user's/],
    ["%73%33://wes-outputs/users/bob/x", /another user's/],
    ["s3a://wes-outputs/users/bob/x", /another user's/],
    ["s3n://wes-outputs/users/bob/x", /another user's/],
    ["s3:/wes-outputs/users/bob/x", /another user's/],
    ["s3:///wes-outputs/users/bob/x", /another user's/],
    ["s3:\\\\wes-outputs\\users\\bob\\x", /another user's/],
    ["s3://someone@wes-outputs/users/bob/x", /another user's/],
    ["s3://wes-outputs:443/users/bob/x", /another user's/],
    ["s3://wes-outputs./users/bob/x", /another user's/],
    ["s3://wes-outputs.s3.amazonaws.com/users/bob/x", /another user's/],
    ["s3://wes-outputs.s3-us-west-2.amazonaws.com/users/bob/x", /another user's/],
    ["s3://wes-outputs?x/users/bob/x", /another user's/],
    ["s3://wes-out*/users/bob/x", /output area/],
    ["s3://wes-outputs/users/*/runs/", /could match other users' output folders/],
    ["s3://wes-outputs/users/b*/x", /could match other users' output folders/],
    ["s3://wes-outputs/users/", /could match other users' output folders/],
    ["s3://wes-outputs/u*", /output area/],
    ["s3://wes-outputs/", /output area/],
    ["s3://wes-outputs", /output area/],
    ["s3://wes-outputs/runs/0b1c/123/out.bam", /service's output area \(s3:\/\/wes-outputs\/\) outside your own folder/],
    ["s3://wes-outputs/users/alice", /without the trailing '\/'.*s3:\/\/wes-outputs\/users\/alice\//],
    ["s3://wes-outputs/users/alice*", /without the trailing '\/'/],
    ["--input=s3://wes-outputs/users/bob/x --other", /another user's/],
    ["s3://ok-bucket/a,s3://wes-outputs/users/bob/x", /another user's/],
    ["s3://ok-bucket/a;s3://wes-outputs/users/bob/x", /another user's/],
    ["see 's3://wes-outputs/users/bob/x'", /another user's/],
    [`${STORE}/123/readSet/../456/source1`, /'\.' or '\.\.' path segments/],
  ])("refuses %s", (uri, reason) => {
    const message = verdict(uri);
    expect(message).toMatch(/^workflow_params\.input refers to '.+'( \(read as '.+'\))?, which /);
    expect(message).toMatch(reason);
    expect(message).toMatch(/your own outputs there \(s3:\/\/wes-outputs\/users\/alice\/\)|path segments|trailing/);
  });

  it("names the URI, clipped", () => {
    const long = `s3://wes-outputs/users/bob/${"x".repeat(300)}`;
    const refusal = checkInputs({ input: long }, DEFAULT)!;
    expect(refusal.uri.length).toBeLessThanOrEqual(120);
    expect(refusal.uri.startsWith("s3://wes-outputs/users/bob/xxx")).toBe(true);
    expect(refusal.uri.endsWith("...")).toBe(true);
  });

  it("reports a percent-encoded URI as written, with the spelling that was refused", () => {
    expect(verdict("s3://wes-outputs/users/alice/%2e%2e/bob/x")).toMatch(
      /^workflow_params\.input refers to 's3:\/\/wes-outputs\/users\/alice\/%2e%2e\/bob\/x' \(read as 's3:\/\/wes-outputs\/users\/alice\/\.\.\/bob\/x'\), which has '\.' or '\.\.' path segments/,
    );
  });

  it("walks nested objects and arrays and reports the JSON path", () => {
    const params = { reads: ["s3://data/a.fq", { mates: ["s3://data/b.fq", "s3://wes-outputs/users/bob/c.fq"] }], n: 3 };
    expect(checkInputs(params, DEFAULT)).toMatchObject({ path: "workflow_params.reads[1].mates[1]", uri: "s3://wes-outputs/users/bob/c.fq" });
    expect(checkInputs({ "odd key": { "s3://wes-outputs/users/bob/x": 1 } }, DEFAULT)?.path).toBe(
      'workflow_params["odd key"]["s3://wes-outputs/users/bob/x"] (the key)',
    );
  });

  it("applies the same rule to admins: their own folder is theirs, the others are not", () => {
    const admin: AccessPolicy = { ...DEFAULT, user: "admin" };
    expect(verdict("s3://wes-outputs/users/admin/runs/x", admin)).toBeNull();
    expect(verdict("s3://wes-outputs/users/alice/runs/x", admin)).toMatch(/another user's/);
  });

  it("uses the encoded folder of an owner with an unusual name", () => {
    const dots: AccessPolicy = { ...DEFAULT, user: ".." };
    expect(verdict("s3://wes-outputs/users/~2e2e/runs/x", dots)).toBeNull();
    expect(verdict("s3://wes-outputs/users/../runs/x", dots)).toMatch(/path segments/);
  });

  describe("with an output prefix inside the bucket", () => {
    const policy: AccessPolicy = { ...DEFAULT, outputPrefix: "s3://wes-outputs/prefix/" };
    it.each([
      ["s3://wes-outputs/other/x", null],
      ["s3://wes-outputs/prefix-other/x", null],
      ["s3://wes-outputs/prefix/users/alice/x", null],
      ["s3://wes-outputs/prefix/users/bob/x", /another user's output folder \(s3:\/\/wes-outputs\/prefix\/users\/bob\/\)/],
      ["s3://wes-outputs/prefix/runs/abc/", /service's output area \(s3:\/\/wes-outputs\/prefix\/\)/],
      ["s3://wes-outputs/pre", /covers the service's output area/],
      ["s3://wes-outputs/", /covers the service's output area/],
      ["s3://wes-outputs/p*/users/bob", /covers the service's output area/],
    ])("%s", (uri, expected) => {
      const message = verdict(uri, policy);
      if (expected === null) expect(message).toBeNull();
      else expect(message).toMatch(expected);
    });
  });
});

describe("allow lists (WES_ALLOWED_INPUT_PREFIXES set)", () => {
  const policy: AccessPolicy = { ...DEFAULT, allowed: prefixes("s3://refs", "s3://lab1/data", `${STORE}/555/`) };
  it.each([
    "s3://refs/hg38.fa",
    "S3://REFS/hg38.fa",
    "s3://lab1/data/x.bam",
    "s3://lab1/data/",
    "s3://lab1/data/sub/*.bam",
    "s3://wes-outputs/users/alice/runs/r1/x",
    `${STORE}/555/readSet/1/source1`,
    `OMICS://123456789012.STORAGE.us-east-1.amazonaws.com/555/reference/2`,
  ])("accepts %s", (uri) => {
    expect(verdict(uri, policy)).toBeNull();
  });

  it.each([
    [
      "s3://other/x",
      /not in a location your runs may read; you may use s3:\/\/refs\/, s3:\/\/lab1\/data\/, omics:.*\/555\/, and your own outputs \(s3:\/\/wes-outputs\/users\/alice\/\)/,
    ],
    ["s3://lab1/data", /not in a location/],
    ["s3://lab1/data-secret/x", /not in a location/],
    ["s3://lab1/dat*", /not in a location/],
    ["s3://lab1//data/x", /not in a location/],
    ["s3://lab1/data/../secret/x", /path segments/],
    ["s3://lab1/data/%2e%2e/secret/x", /path segments/],
    ["s3://refs@other/x", /not in a location/],
    ["s3://other@refs/x", /not in a location/],
    [`${STORE}/556/readSet/1/source1`, /not in a location/],
    ["omics://999999999999.storage.us-east-1.amazonaws.com/555/readSet/1", /not in a location/],
    ["s3://wes-outputs/users/bob/x", /another user's/],
  ])("refuses %s", (uri, reason) => {
    expect(verdict(uri, policy)).toMatch(reason);
  });

  it("an empty allow list leaves only the user's own outputs", () => {
    const none: AccessPolicy = { ...DEFAULT, allowed: [] };
    expect(verdict("s3://wes-outputs/users/alice/x", none)).toBeNull();
    expect(verdict("s3://refs/x", none)).toMatch(/you may use only your own outputs \(s3:\/\/wes-outputs\/users\/alice\/\)/);
  });

  it("s3:// allows every bucket, but never other users' outputs", () => {
    const any: AccessPolicy = { ...DEFAULT, allowed: prefixes("s3://") };
    expect(verdict("s3://anything/x", any)).toBeNull();
    expect(verdict(`${STORE}/555/readSet/1`, any)).toMatch(/not in a location/);
    expect(verdict("s3://wes-outputs/users/bob/x", any)).toMatch(/another user's/);
  });

  it("allowing the output bucket itself does not open other users' folders", () => {
    const outputs: AccessPolicy = { ...DEFAULT, allowed: prefixes("s3://wes-outputs/") };
    expect(verdict("s3://wes-outputs/users/bob/x", outputs)).toMatch(/another user's/);
  });
});

describe("mentions", () => {
  it("reads a value that starts with a scheme whole, and embedded URIs up to a space or quote (and on, as a tool splitting on '=' would)", () => {
    expect(mentions("s3://b/my file.txt").map((m) => m.text)).toEqual(["s3://b/my file.txt"]);
    expect(
      mentions('x "s3://b/k" y')
        .map((m) => m.text)
        .sort(),
    ).toEqual(["s3://b/k", 's3://b/k" y']);
  });

  it("an embedded URI read on through spaces resolves dot segments instead of refusing them, and names no host with a space", () => {
    expect(verdict("see s3://lab/x - and ../docs")).toBeNull();
    expect(verdict("--in=s3://wes-outputs/users/alice/ ../../../bob/x")).toMatch(/another user's/);
    expect(verdict("--in=s3:/ x@wes-outputs/users/bob/x")).toMatch(/another user's/);
    expect(verdict("bucket: s3://refs is the reference bucket", { ...DEFAULT, allowed: prefixes("s3://refs") })).toBeNull();
  });
});

describe("parseStoragePrefix", () => {
  it.each([
    ["s3://Refs", "s3://refs/"],
    ["s3://refs/a/b", "s3://refs/a/b/"],
    ["s3://refs/a/b/", "s3://refs/a/b/"],
    ["s3://", "s3://"],
    ["omics://", "omics://"],
    [`${STORE}/555`, `${STORE}/555/`],
  ])("%s → %s", (text, normalised) => {
    expect(parseStoragePrefix(text)).toMatchObject({ text: normalised });
  });

  it.each(["https://x/", "s3://B_ad/", "s3://refs/a/../b", "s3://refs//a", "s3://refs/a*", "s3://refs/%2e", "refs"])("refuses %s", (text) => {
    expect(typeof parseStoragePrefix(text)).toBe("string");
  });
});

describe("dataAccessSettings", () => {
  const env = (vars: Record<string, string>) => vars as unknown as Env;
  const OIDC = { WES_OIDC_ISSUER: "https://idp.example.org/", WES_OIDC_GROUPS_CLAIM: "groups" };

  it("empty: the default rule", () => {
    const settings = dataAccessSettings(env({}));
    expect(settings.rules).toBeNull();
    expect(allowedPrefixes(settings, "alice")).toBeNull();
  });

  it("compact syntax: everyone, a user and a group", () => {
    const settings = dataAccessSettings(
      env({ WES_GROUPS: "lab1:alice,bob;lab2:carol", WES_ALLOWED_INPUT_PREFIXES: "*=s3://refs/;alice=s3://alice-data/, s3://shared/x\n@lab1=s3://lab1/" }),
    );
    expect(allowedPrefixes(settings, "alice")!.map((p) => p.text)).toEqual(["s3://refs/", "s3://alice-data/", "s3://shared/x/", "s3://lab1/"]);
    expect(allowedPrefixes(settings, "bob")!.map((p) => p.text)).toEqual(["s3://refs/", "s3://lab1/"]);
    expect(allowedPrefixes(settings, "carol")!.map((p) => p.text)).toEqual(["s3://refs/"]);
  });

  it("JSON syntax", () => {
    const settings = dataAccessSettings(env({ WES_GROUPS: '{"lab1":["alice"]}', WES_ALLOWED_INPUT_PREFIXES: '{"@lab1":["s3://lab1/"],"bob":"s3://bob/"}' }));
    expect(allowedPrefixes(settings, "alice")!.map((p) => p.text)).toEqual(["s3://lab1/"]);
    expect(allowedPrefixes(settings, "bob")!.map((p) => p.text)).toEqual(["s3://bob/"]);
    expect(allowedPrefixes(settings, "zoe")).toEqual([]);
  });

  it("a user whose name starts with @ does not get the group of that name", () => {
    const settings = dataAccessSettings(env({ WES_GROUPS: "lab1:alice", WES_ALLOWED_INPUT_PREFIXES: "@lab1=s3://lab1/" }));
    expect(allowedPrefixes(settings, "@lab1")).toEqual([]);
  });

  it("groups from an OIDC token add their rules to WES_GROUPS membership, but never open a WES_GROUPS group", () => {
    const settings = dataAccessSettings(env({ ...OIDC, WES_GROUPS: "lab1:alice", WES_ALLOWED_INPUT_PREFIXES: "@lab1=s3://lab1/;@idp-lab=s3://idp-lab/" }));
    expect(allowedPrefixes(settings, "bob", ["idp-lab"])!.map((p) => p.text)).toEqual(["s3://idp-lab/"]);
    expect(allowedPrefixes(settings, "alice", ["idp-lab", "lab1"])!.map((p) => p.text)).toEqual(["s3://lab1/", "s3://idp-lab/"]);
    expect(allowedPrefixes(settings, "bob", ["lab1"])).toEqual([]); // lab1's members are listed in WES_GROUPS
    expect(allowedPrefixes(settings, "bob", ["unknown-group"])).toEqual([]);
    expect(allowedPrefixes(settings, "bob")).toEqual([]);
  });

  it("a rule may name a group WES_GROUPS lacks only when groups come from tokens", () => {
    expect(() => dataAccessSettings(env({ WES_ALLOWED_INPUT_PREFIXES: "@idp-lab=s3://xyz/" }))).toThrow(
      /which WES_GROUPS does not define \(with OIDC on, set WES_OIDC_GROUPS_CLAIM/,
    );
    // The claim without OIDC on is no source of groups: the typo check stays.
    expect(() => dataAccessSettings(env({ WES_OIDC_GROUPS_CLAIM: "groups", WES_ALLOWED_INPUT_PREFIXES: "@idp-lab=s3://xyz/" }))).toThrow(
      /which WES_GROUPS does not define/,
    );
    expect(dataAccessSettings(env({ ...OIDC, WES_ALLOWED_INPUT_PREFIXES: "@idp-lab=s3://xyz/" })).rules?.has("@idp-lab")).toBe(true);
    expect(() => dataAccessSettings(env({ ...OIDC, WES_ALLOWED_INPUT_PREFIXES: "@bad group=s3://xyz/" }))).toThrow(/group '@bad group' must be @ and 1-64/);
  });

  it("one ConfigError lists every problem", () => {
    let error: unknown;
    try {
      dataAccessSettings(env({ WES_GROUPS: "lab1:al ice;:x", WES_ALLOWED_INPUT_PREFIXES: "@nolab=s3://x/;bad name=s3://y/;*=https://z/,s3://refs/../x" }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/WES_GROUPS group 'lab1' has an invalid member name 'al ice'/);
    expect(problems).toMatch(/WES_GROUPS entry 2 must look like name:item,item/);
    expect(problems).toMatch(/names group '@nolab', which WES_GROUPS does not define/);
    expect(problems).toMatch(/subject 'bad name' must be \*, a user name or @group/);
    expect(problems).toMatch(/prefix 'https:\/\/z\/' of '\*' must start with s3:\/\/ or omics:\/\//);
    expect(problems).toMatch(/prefix 's3:\/\/refs\/\.\.\/x' of '\*' must not contain empty, '\.' or '\.\.' path segments/);
  });

  it("invalid JSON is a ConfigError", () => {
    expect(() => dataAccessSettings(env({ WES_ALLOWED_INPUT_PREFIXES: "{nope" }))).toThrow(ConfigError);
    expect(() => dataAccessSettings(env({ WES_ALLOWED_INPUT_PREFIXES: '{"*": 3}' }))).toThrow(/must be a string or a list of strings/);
  });
});
