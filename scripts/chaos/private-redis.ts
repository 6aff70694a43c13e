// A Redis server of the chaos run's own, on a free port, that keeps nothing on disk (like the
// machine's, and many deployments): killing it loses every queue, job and scheduler, which is
// the fault under test, without touching the Redis other processes on this machine share.
import { spawn, type ChildProcess } from "node:child_process";

import { Redis } from "ioredis";

import { freePort } from "../../test/helpers/free-port";

export interface PrivateRedis {
  url: string;
  /** SIGKILL, so nothing is saved or handed over: the data is gone. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForPing(url: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined); // refused until the server is up: expected
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Redis at ${url} did not answer: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      client.disconnect();
    }
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const exited = () =>
    new Promise<void>((resolve) =>
      !child || child.exitCode !== null || child.signalCode ? resolve() : child.once("exit", () => resolve()),
    );
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
      { stdio: "ignore" },
    );
    await waitForPing(url);
  };
  await start();
  return {
    url,
    start,
    async kill() {
      child?.kill("SIGKILL");
      await exited();
    },
    async stop() {
      child?.kill("SIGTERM");
      await exited();
    },
  };
}
