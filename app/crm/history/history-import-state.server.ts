// What the history import card shows: the running import's progress, else the last result.
// Plain JSON (strings for dates), so a loader can return it as is.
import type { PrismaClient } from "../../db.server";
import { findShopForHistory, latestHistoryImports } from "./history-import.repository.server";

export interface HistoryImportState {
  status: "never" | "running" | "succeeded" | "failed";
  customersCount: number;
  ordersCount: number;
  /** 0–100 while running: lines done of the current operation's file over its object count. */
  progressPercent: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export async function loadHistoryImportState(db: PrismaClient, shopDomain: string): Promise<HistoryImportState> {
  const shop = await findShopForHistory(db, shopDomain);
  const [latest] = shop ? await latestHistoryImports(db, shop.id) : [];
  if (!latest) {
    return {
      status: "never",
      customersCount: 0,
      ordersCount: 0,
      progressPercent: null,
      startedAt: null,
      finishedAt: null,
      error: null,
    };
  }
  const running = latest.status === "running";
  const expected = latest.expectedObjects ?? 0;
  return {
    status: running ? "running" : latest.status === "succeeded" ? "succeeded" : "failed",
    customersCount: latest.customersCount,
    ordersCount: latest.ordersCount,
    progressPercent:
      running && expected > 0
        ? Math.min(100, Math.round((Number(latest.linesDone) / expected) * 100))
        : running
          ? 0
          : null,
    startedAt: latest.startedAt.toISOString(),
    finishedAt: latest.finishedAt?.toISOString() ?? null,
    error: latest.error,
  };
}
