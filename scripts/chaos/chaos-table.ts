// The chaos run's report: one row per scenario.
import type { ScenarioResult } from "./chaos-checks";

export function formatChaosTable(results: ScenarioResult[]): string {
  const header = ["scenario", "sent", "lost", "duplicated", "recovery s"];
  const rows = results.map((r) => [
    r.scenario,
    String(r.sent),
    String(r.lost),
    String(r.duplicated),
    r.recoverySeconds.toFixed(1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}
