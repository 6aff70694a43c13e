// The tenant isolation suite's route table is complete: every file in app/routes/ has an entry
// saying how the suite attacks it, and no entry names a route that is gone.
import { readdirSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { ROUTES_DIR } from "./tenant-harness";
import { ROUTE_ENTRIES } from "./tenant-route-cases";

const routeFiles = readdirSync(ROUTES_DIR).filter((file) => /\.(tsx|ts)$/.test(file) && !/\.test\.tsx?$/.test(file));

describe("tenant isolation route table", () => {
  it.each(routeFiles)("%s has an isolation entry", (file) => {
    expect(ROUTE_ENTRIES[file], `add ${file} to test/security/tenant-route-cases.ts`).toBeDefined();
  });

  it("names only routes that exist", () => {
    expect(Object.keys(ROUTE_ENTRIES).filter((file) => !routeFiles.includes(file))).toEqual([]);
  });

  it("webhook entries match their file names", () => {
    for (const [file, entry] of Object.entries(ROUTE_ENTRIES)) {
      if (entry.auth !== "webhook") continue;
      expect(file).toBe(`webhooks.${entry.topic.replaceAll("/", ".")}.tsx`);
    }
  });
});
