// The analyst CLI as a real child process, on the CDNOW sample and on bad files.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cdnowSampleCsv } from "../../test/fixtures/cdnow/cdnow-sample";
import { spawnTsx } from "../../test/helpers/spawn-tsx";

let directory: string;
let cdnowCsv: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "crm-cli-"));
  cdnowCsv = path.join(directory, "cdnow.csv");
  writeFileSync(cdnowCsv, cdnowSampleCsv());
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function runCrm(args: string[]) {
  const child = spawnTsx("scripts/crm/main.ts", { ...process.env, NODE_OPTIONS: "" }, args);
  let stdout = "";
  let stderr = "";
  child.child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const { code } = await child.exited;
  return { code, stdout, stderr };
}

function writeCsv(name: string, text: string): string {
  const file = path.join(directory, name);
  writeFileSync(file, text);
  return file;
}

const clvArgs = (file: string) => [
  "clv",
  "--orders",
  file,
  "--calibration-end",
  "1997-09-30",
  "--period",
  "week",
  "--horizon",
  "39",
];

describe("crm clv", () => {
  it("reproduces the published CDNOW parameters and customer 1's prediction in its JSON", async () => {
    const { code, stdout } = await runCrm([...clvArgs(cdnowCsv), "--json"]);

    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const { r, alpha, a, b } = report.bgnbd;
    expect([r, alpha, a, b].map((value: number) => value.toFixed(3))).toEqual(["0.243", "4.414", "0.793", "2.426"]);
    expect([report.gammaGamma.p.toFixed(2), report.gammaGamma.q.toFixed(2), report.gammaGamma.v.toFixed(2)]).toEqual([
      "6.25",
      "3.74",
      "15.44",
    ]);
    expect(report.customers).toHaveLength(2357);
    const first = report.customers.find((c: { customerId: string }) => c.customerId === "1");
    expect(first).toMatchObject({ frequency: 2 });
    expect(first.recency.toFixed(2)).toBe("30.43");
    expect(first.T.toFixed(2)).toBe("38.86");
    expect(first.expectedPurchases.toFixed(3)).toBe("1.226");
    expect(first.clv).toBeGreaterThan(0);
    expect(Object.keys(first).sort()).toEqual(
      [
        "customerId",
        "frequency",
        "recency",
        "T",
        "monetaryValue",
        "pAlive",
        "expectedPurchases",
        "expectedAverageOrderValue",
        "clv",
      ].sort(),
    );
  });

  it("prints a readable table without --json", async () => {
    const { code, stdout } = await runCrm(clvArgs(cdnowCsv));

    expect(code).toBe(0);
    expect(stdout).toContain("BG/NBD       r=0.2426 alpha=4.4136 a=0.7929 b=2.4259");
    expect(stdout).toMatch(/^1\s+2\s+30\.43\s+38\.86\s+22\.35\s+0\.\d+\s+1\.226\s/m);
  });
});

describe("crm rfm", () => {
  it("scores every customer and names the segment", async () => {
    const { code, stdout } = await runCrm(["rfm", "--orders", cdnowCsv, "--as-of", "1998-06-30", "--json"]);

    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.customers).toHaveLength(2357);
    expect(report.customers[0]).toMatchObject({
      customerId: "1",
      recencyDays: 200,
      frequency: 4,
      r: expect.any(Number),
      segment: expect.any(String),
    });
  });
});

describe("bad input", () => {
  it.each([
    ["missing column", "customer_id,ordered_at\n1,2024-01-01\n", /line 1: missing column amount/],
    [
      "unparseable date",
      "customer_id,ordered_at,amount\n1,2024-01-01,5\n2,2024-02-30,5\n",
      /line 3: ordered_at: unparseable date "2024-02-30"/,
    ],
    [
      "unparseable amount",
      "customer_id,ordered_at,amount\n1,2024-01-01,5\n2,2024-01-02,five\n",
      /line 3: amount: unparseable amount/,
    ],
    [
      "negative amount",
      "customer_id,ordered_at,amount\n1,2024-01-01T10:00:00Z,-3.50\n",
      /line 2: amount: negative amount/,
    ],
  ])("%s exits with code 2, names the line and prints nothing on stdout", async (name, text, message) => {
    const file = writeCsv(`${name.replace(/ /g, "-")}.csv`, text);

    const { code, stdout, stderr } = await runCrm([...clvArgs(file), "--json"]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("rejects a bad option with code 2", async () => {
    const { code, stdout, stderr } = await runCrm([
      "clv",
      "--orders",
      cdnowCsv,
      "--calibration-end",
      "1997-09-30",
      "--period",
      "fortnight",
      "--horizon",
      "39",
    ]);

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("--period must be day, week or month");
  });
});
