// The soak's load: paced requests of three kinds on keep-alive connections, each timed and
// tallied per route; and the resident memory and CPU time of a process from /proc.
import http from "node:http";
import { readFileSync } from "node:fs";

export interface RouteStats {
  latenciesMs: number[];
  errors: number;
  statuses: Map<number, number>;
}

export interface SoakRequest {
  route: string;
  path: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Answers that count as success (default: 200). */
  ok?: (status: number) => boolean;
}

export function createLoad(appUrl: string, maxSockets = 256) {
  const url = new URL(appUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const stats = new Map<string, RouteStats>();
  /** Why requests got no answer (0 in the statuses). */
  const errorCodes = new Map<string, number>();
  let inFlight = 0;
  const send = (request: SoakRequest, retried = false): Promise<void> =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      inFlight++;
      const done = (status: number) => {
        inFlight--;
        const route: RouteStats = stats.get(request.route) ?? { latenciesMs: [], errors: 0, statuses: new Map() };
        route.latenciesMs.push(performance.now() - started);
        route.statuses.set(status, (route.statuses.get(status) ?? 0) + 1);
        if (!(request.ok ?? ((s: number) => s === 200))(status)) route.errors++;
        stats.set(request.route, route);
        resolve();
      };
      const outgoing = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: request.path,
          method: request.method,
          headers: request.headers,
          agent,
        },
        (response) => {
          response.resume();
          response.on("end", () => done(response.statusCode ?? 0));
        },
      );
      outgoing.setTimeout(30_000, () => outgoing.destroy());
      outgoing.on("error", (error: NodeJS.ErrnoException) => {
        // The server closed an idle keep-alive socket just as it was reused: not the app's
        // failure; a client (Shopify's included) sends the request again on a new socket.
        if (outgoing.reusedSocket && error.code === "ECONNRESET" && !retried) {
          inFlight--;
          void send(request, true).then(resolve);
          return;
        }
        errorCodes.set(error.code ?? error.message, (errorCodes.get(error.code ?? error.message) ?? 0) + 1);
        done(0);
      });
      outgoing.end(request.body);
    });
  return {
    stats,
    errorCodes,
    inFlight: () => inFlight,
    /** Sends `perSecond` requests a second from `next` for `seconds`, in 20 ms slices. */
    async paced(perSecond: number, seconds: number, next: () => SoakRequest, stop: () => boolean) {
      const pending = new Set<Promise<void>>();
      const started = performance.now();
      let sent = 0;
      while (!stop() && performance.now() - started < seconds * 1000) {
        const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
        for (; sent < due; sent++) {
          const request = send(next());
          pending.add(request);
          void request.then(() => pending.delete(request));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await Promise.all(pending);
      return sent;
    },
    close: () => agent.destroy(),
  };
}

/** Resident set size of a process in MiB (Linux), NaN once it is gone. */
export function rssMiB(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return Number(line?.split(/\s+/)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux), NaN once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return NaN;
  }
}
