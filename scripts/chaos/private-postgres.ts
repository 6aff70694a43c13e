// A PostgreSQL server of the chaos run's own: initdb into a temporary directory, a free port,
// trust auth on 127.0.0.1 only. Crashing and restarting it is a fault under test; the machine's
// shared server (every other database on it) is never touched.
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { freePort } from "../../test/helpers/free-port";

const run = promisify(execFile);

export interface PrivatePostgres {
  /** The server's maintenance database; a database of the run's own goes in its path. */
  url: string;
  /** `pg_ctl stop -m immediate`: every process quits at once, no checkpoint, as in a crash. */
  crash(): Promise<void>;
  /** Starts it again on the same port (after a crash: crash recovery from the WAL first). */
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  stop(): Promise<void>;
  /** The server's log, for a failed run's post-mortem. */
  log(): string;
}

/** PG_BIN_DIR, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout), else PATH. */
function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? path.join(root, versions[0], "bin") : "";
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "kinship-chaos-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  // PostgreSQL refuses to run as root: as root, its binaries run as the `postgres` OS user,
  // who must own the directory.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] => {
    const file = bin ? path.join(bin, tool) : tool;
    return asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  };
  const pgCtl = (args: string[]) => run(...command("pg_ctl", ["-D", data, ...args]));
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    // Its socket in its own directory, not next to the shared server's.
    `-c unix_socket_directories=${dir}`,
  ].join(" ");
  let running = false;
  const start = async () => {
    await pgCtl(["start", "-w", "-t", "60", "-l", logFile, "-o", options]);
    running = true;
  };
  // A run that dies without close() must not leave a server behind.
  const stopAtExit = () => {
    try {
      execFileSync(...command("pg_ctl", ["-D", data, "stop", "-m", "immediate"]), { stdio: "ignore" });
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(...command("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]));
    await start();
  } catch (error) {
    stopAtExit();
    throw new Error(`private PostgreSQL did not start (binaries in "${bin || "PATH"}"): ${(error as Error).message}`);
  }
  process.once("exit", stopAtExit);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    async crash() {
      await pgCtl(["stop", "-m", "immediate", "-w"]);
      running = false;
    },
    async stop() {
      process.removeListener("exit", stopAtExit);
      if (running) await pgCtl(["stop", "-m", "fast", "-w"]).catch(() => pgCtl(["stop", "-m", "immediate"]));
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
  };
}
