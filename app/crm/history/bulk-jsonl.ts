// Reading a Bulk Operation result file: lines from a byte stream, then each root object
// with the child objects Shopify emits after it. Nested connections come out as separate
// lines carrying `__parentId`; with `groupObjects: true` they directly follow their parent,
// so only the current parent is ever buffered.

/** Splits a byte (or text) stream into lines without holding more than one chunk. */
export async function* readLines(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    let newline = text.indexOf("\n", start);
    while (newline !== -1) {
      if (newline > start) yield text.slice(start, newline);
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.trim() !== "") yield rest;
}

export interface BulkObject {
  id: string;
  __parentId?: string;
  [field: string]: unknown;
}

export interface BulkObjectGroup {
  root: BulkObject;
  /** Child objects (any depth) in file order; each names its parent in `__parentId`. */
  children: BulkObject[];
  /** Lines of the file consumed up to and including this group (the resume position). */
  linesThrough: number;
}

export class BulkJsonlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`JSONL line ${line}: ${message}`);
    this.name = "BulkJsonlError";
  }
}

function parseObject(text: string, line: number): BulkObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BulkJsonlError(line, "not JSON");
  }
  if (!value || typeof value !== "object" || typeof (value as { id?: unknown }).id !== "string") {
    throw new BulkJsonlError(line, "not an object with an id");
  }
  return value as BulkObject;
}

/**
 * Groups lines into root objects with their children. `skipLines` lines are passed over
 * unparsed (a resumed import); they must end at a group boundary, as `linesThrough` does.
 */
export async function* groupBulkObjects(lines: AsyncIterable<string>, skipLines = 0): AsyncGenerator<BulkObjectGroup> {
  let lineNumber = 0;
  let current: BulkObjectGroup | null = null;
  // Ids of the current root and its descendants, so grandchildren find their parent too.
  const family = new Set<string>();
  for await (const text of lines) {
    lineNumber++;
    if (lineNumber <= skipLines) continue;
    const object = parseObject(text, lineNumber);
    if (object.__parentId === undefined) {
      if (current) yield current;
      current = { root: object, children: [], linesThrough: lineNumber };
      family.clear();
      family.add(object.id);
      continue;
    }
    if (!current || !family.has(object.__parentId)) {
      throw new BulkJsonlError(lineNumber, `child of ${object.__parentId} does not follow its parent`);
    }
    current.children.push(object);
    current.linesThrough = lineNumber;
    family.add(object.id);
  }
  if (current) yield current;
}
