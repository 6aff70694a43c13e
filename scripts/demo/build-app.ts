// Builds the Remix app when its sources are newer than the build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function buildAppIfStale(root: string, log: (line: string) => void): void {
  const output = path.join(root, "build/server/index.js");
  const sources = Math.max(newestMtime(path.join(root, "app")), statSync(path.join(root, "vite.config.ts")).mtimeMs);
  if (existsSync(output) && statSync(output).mtimeMs >= sources) return;
  log("building the app…");
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
