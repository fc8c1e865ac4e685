/**
 * The emulator's S3 on the `npm start` stack driven by the official @aws-sdk/client-s3 (path
 * style, the endpoint of the emulator): put, head, list with paging, get, ranged get, delete, a
 * presigned GET from @aws-sdk/s3-request-presigner, a 100 MB body streamed up and down, and the
 * outputs a COMPLETED run writes.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { OmicsClient, StartRunCommand } from "@aws-sdk/client-omics";
import { Readable } from "node:stream";
import { afterAll, describe, expect, inject, it } from "vitest";

const endpoint = inject("emulatorUrl");
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const s3 = new S3Client({ endpoint, region: "us-east-1", credentials, forcePathStyle: true });
const bucket = `sdk-${crypto.randomUUID().slice(0, 8)}`;

afterAll(() => s3.destroy());

describe("the emulator's S3 through @aws-sdk/client-s3", () => {
  it("puts, heads, lists with paging, gets (whole and ranged) and deletes", async () => {
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "data/a.txt", Body: "alpha", ContentType: "text/plain", Metadata: { sample: "s1" } }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    for (let i = 0; i < 5; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `data/many/${i}.txt`, Body: `file ${i}` }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "data/a.txt" }));
    expect(head).toMatchObject({ ContentLength: 5, ContentType: "text/plain", Metadata: { sample: "s1" }, ETag: put.ETag });
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: bucket, Prefix: "data/" })) {
      expect((page.Contents ?? []).length).toBeLessThanOrEqual(2);
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    expect(keys).toEqual(["data/a.txt", "data/many/0.txt", "data/many/1.txt", "data/many/2.txt", "data/many/3.txt", "data/many/4.txt"]);
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "data/", Delimiter: "/" }));
    expect(grouped.CommonPrefixes).toEqual([{ Prefix: "data/many/" }]);
    expect(grouped.Contents?.map((o) => [o.Key, o.Size])).toEqual([["data/a.txt", 5]]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "data/a.txt" }));
    expect(await got.Body!.transformToString()).toBe("alpha");
    const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "data/a.txt", Range: "bytes=1-3" }));
    expect(ranged.ContentRange).toBe("bytes 1-3/5");
    expect(await ranged.Body!.transformToString()).toBe("lph");
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "data/a.txt" }));
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "data/a.txt" }))).rejects.toBeInstanceOf(NoSuchKey);
  });

  it("serves a GET presigned by @aws-sdk/s3-request-presigner, and refuses it once expired", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "share/report.txt", Body: "report body" }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "share/report.txt" }), { expiresIn: 60 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("report body");
    const past = new Date(Date.now() - 3_600_000);
    const expired = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "share/report.txt" }), { expiresIn: 60, signingDate: past });
    const refused = await fetch(expired);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("<Message>Request has expired</Message>");
  });

  it("streams a 100 MB object up and down without changing a byte", async () => {
    const size = 100 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < size / chunk.length; i++) yield chunk;
      })(),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big/100mb.bin", Body: body, ContentLength: size }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "big/100mb.bin" }));
    expect(head.ContentLength).toBe(size);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big/100mb.bin" }));
    let total = 0;
    let allSevens = true;
    for await (const part of got.Body as Readable) {
      total += (part as Buffer).length;
      if ((part as Buffer).some((b) => b !== 7)) allSevens = false;
    }
    expect(total).toBe(size);
    expect(allSevens).toBe(true);
  });

  it("finds the output summary a COMPLETED run wrote under its runOutputUri", async () => {
    const omics = new OmicsClient({ endpoint, region: "us-east-1", credentials, disableHostPrefix: true, maxAttempts: 10 });
    const outputUri = `s3://${bucket}/runs`;
    const started = await omics.send(
      new StartRunCommand({
        workflowId: "1000001",
        requestId: `sdk-outputs-${crypto.randomUUID()}`,
        roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
        outputUri,
        parameters: { input_file: "s3://example-bucket/sample.fastq" },
        tags: { "emulator:duration-scale": "0.2" },
      }),
    );
    omics.destroy();
    const prefix = `runs/${started.id}/`;
    const deadline = Date.now() + 60_000;
    let keys: string[] = [];
    while (!keys.includes(`${prefix}logs/outputs.json`) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
    }
    const summary = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}logs/outputs.json` }))).Body!.transformToString());
    expect(summary["GermlineVariantCalling.vcf"]).toBe(`s3://${bucket}/${prefix}out/vcf/vcf.txt`);
    expect(keys).toContain(`${prefix}out/vcf/vcf.txt`);
  });
});
