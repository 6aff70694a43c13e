import { describe, expect, it } from "vitest";

import { BulkJsonlError, groupBulkObjects, readLines } from "./bulk-jsonl";

async function* chunksOf(text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  for (let start = 0; start < bytes.length; start += size) yield bytes.slice(start, start + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const FILE = [
  '{"id":"gid://shopify/Order/1","name":"#1001 café"}',
  '{"id":"gid://shopify/LineItem/11","__parentId":"gid://shopify/Order/1"}',
  '{"id":"gid://shopify/LineItem/12","__parentId":"gid://shopify/Order/1"}',
  '{"id":"gid://shopify/Order/2","name":"#1002"}',
  '{"id":"gid://shopify/Order/3","name":"#1003"}',
  '{"id":"gid://shopify/LineItem/31","__parentId":"gid://shopify/Order/3"}',
].join("\n");

describe("bulk JSONL", () => {
  it("splits a byte stream into lines whatever the chunk boundaries (multi-byte characters included)", async () => {
    // Given the file arriving in 7-byte chunks
    const lines = await collect(readLines(chunksOf(`${FILE}\n`, 7)));
    // Then every line comes out whole
    expect(lines).toEqual(FILE.split("\n"));
  });

  it("links children to the parent they follow through __parentId", async () => {
    // Given a file of orders with line items on lines of their own
    const groups = await collect(groupBulkObjects(readLines(chunksOf(FILE, 13))));
    // Then each order carries its own line items and the line count through it
    expect(groups.map((g) => [g.root.id, g.children.map((c) => c.id), g.linesThrough])).toEqual([
      ["gid://shopify/Order/1", ["gid://shopify/LineItem/11", "gid://shopify/LineItem/12"], 3],
      ["gid://shopify/Order/2", [], 4],
      ["gid://shopify/Order/3", ["gid://shopify/LineItem/31"], 6],
    ]);
    expect(groups[0]!.root.name).toBe("#1001 café");
  });

  it("resumes after the lines already done", async () => {
    // When an import restarts after its first group
    const groups = await collect(groupBulkObjects(readLines(chunksOf(FILE, 64)), 3));
    // Then it continues with the next order
    expect(groups.map((g) => g.root.id)).toEqual(["gid://shopify/Order/2", "gid://shopify/Order/3"]);
  });

  it("refuses a child whose parent is not the current object", async () => {
    const bad =
      '{"id":"gid://shopify/Order/1"}\n{"id":"gid://shopify/LineItem/9","__parentId":"gid://shopify/Order/7"}';
    await expect(collect(groupBulkObjects(readLines(chunksOf(bad, 100))))).rejects.toBeInstanceOf(BulkJsonlError);
  });
});
