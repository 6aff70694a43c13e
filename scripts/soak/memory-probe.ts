// Loaded into the app and the workers by the soak (`--import`): once a second the process writes
// its own view of its memory to SOAK_MEMORY_DIR/<pid>.jsonl, so that the soak can tell the V8 heap,
// which swings with garbage collection, from the rest of the resident memory.
import { appendFileSync } from "node:fs";
import path from "node:path";

const dir = process.env.SOAK_MEMORY_DIR;
if (dir) {
  const file = path.join(dir, `${process.pid}.jsonl`);
  setInterval(() => {
    const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ time: Date.now(), rss, heapTotal, heapUsed, external })}\n`);
  }, 1_000).unref();
}
