// Child process of `npm run bench:recommendations`: one co-purchase mining of the bench shop,
// then its figures, wall time and its own peak RSS as one JSON line (the parent's generation
// does not inflate the figure).
import { createPrismaClient } from "../../../app/db.server";
import { logger } from "../../../app/lib/logger.server";
import { mineShopRecommendations } from "../../../app/crm/recommendations/mine-recommendations.server";

const databaseUrl = process.env.DATABASE_URL!;
const shopId = Number(process.argv[2]);
const db = createPrismaClient(databaseUrl);
try {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const figures = await mineShopRecommendations({ db, logger, databaseUrl }, shopId);
  const wallMs = Math.round(performance.now() - started);
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `MINED ${JSON.stringify({ ...figures, wallMs, cpuS: (cpu.user + cpu.system) / 1e6, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}`,
  );
} finally {
  await db.$disconnect();
}
