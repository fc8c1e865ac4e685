/**
 * The emulator's CloudWatch Logs on the `npm start` stack read with the official
 * @aws-sdk/client-cloudwatch-logs: a run's engine stream page by page until the forward token
 * comes back unchanged, and the SDK's typed error for a stream that does not exist.
 */
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from "@aws-sdk/client-cloudwatch-logs";
import { GetRunCommand, OmicsClient, StartRunCommand } from "@aws-sdk/client-omics";
import { afterAll, describe, expect, inject, it } from "vitest";

const endpoint = inject("emulatorUrl");
const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const logs = new CloudWatchLogsClient({ endpoint, region: "us-east-1", credentials });
const omics = new OmicsClient({ endpoint, region: "us-east-1", credentials, disableHostPrefix: true, maxAttempts: 10 });

afterAll(() => {
  logs.destroy();
  omics.destroy();
});

describe("the emulator's CloudWatch Logs through @aws-sdk/client-cloudwatch-logs", () => {
  it("reads a run's engine log to its end, page by page", async () => {
    const started = await omics.send(
      new StartRunCommand({
        workflowId: "1000001",
        requestId: `sdk-logs-${crypto.randomUUID()}`,
        roleArn: "arn:aws:iam::123456789012:role/OmicsWorkflowRole",
        outputUri: "s3://example-bucket/sdk-logs",
        parameters: { input_file: "s3://example-bucket/sample.fastq" },
        tags: { "emulator:duration-scale": "0.2", "emulator:log-lines": "12000" },
      }),
    );
    const deadline = Date.now() + 60_000;
    let run = await omics.send(new GetRunCommand({ id: started.id! }));
    while (run.status !== "COMPLETED" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      run = await omics.send(new GetRunCommand({ id: started.id! }));
    }
    const logStreamName = run.logLocation!.engineLogStream!.split(":log-stream:")[1]!;
    expect(logStreamName).toBe(`run/${started.id}/engine`);
    const messages: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/omics/WorkflowLog", logStreamName, startFromHead: true, nextToken }));
      pages += 1;
      messages.push(...(page.events ?? []).map((e) => e.message!));
      expect(page.nextBackwardToken).toBeTruthy();
      if (page.nextForwardToken === nextToken) break;
      nextToken = page.nextForwardToken;
    }
    expect(pages).toBe(3);
    expect(messages.filter((m) => m.includes("progress line")).length).toBe(12_000);
    expect(messages.at(-1)).toBe("Workflow germline-wdl completed successfully");
  });

  it("answers ResourceNotFoundException for a stream that does not exist", async () => {
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: "/aws/omics/WorkflowLog", logStreamName: "run/999999999/engine" }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
