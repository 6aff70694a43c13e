// The analyst CLI: `npm run --silent crm -- clv|rfm …` (see usage below). Bad input exits with
// code 2 and a message on stderr naming the line; stdout then stays empty.
import { parseArgs } from "node:util";

import { z } from "zod";

import { clvReport, formatClvReport } from "./clv-command";
import { InputError, isoInstant, readOrdersCsv } from "./read-orders-csv";
import { formatRfmReport, rfmReport } from "./rfm-command";

const USAGE = `usage:
  crm clv --orders FILE.csv --calibration-end YYYY-MM-DD --period day|week|month --horizon N [--discount-rate R] [--json]
  crm rfm --orders FILE.csv --as-of YYYY-MM-DD [--json]
FILE.csv has the header customer_id,ordered_at,amount (ISO date or date-time, decimal amount).`;

const clvOptions = z.object({
  orders: z.string({ error: "--orders is required" }),
  "calibration-end": isoInstant.optional().refine((value) => value !== undefined, "--calibration-end is required"),
  period: z.enum(["day", "week", "month"], { error: "--period must be day, week or month" }),
  horizon: z.coerce.number({ error: "--horizon must be a number" }).positive("--horizon must be positive"),
  "discount-rate": z.coerce.number().min(0, "--discount-rate must be 0 or more").default(0.01),
  json: z.boolean().default(false),
});

const rfmOptions = z.object({
  orders: z.string({ error: "--orders is required" }),
  "as-of": isoInstant.optional().refine((value) => value !== undefined, "--as-of is required"),
  json: z.boolean().default(false),
});

function run(argv: string[]): string {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${USAGE}`);
  }
  const [command] = parsed.positionals;
  if (command === "clv") {
    const options = validate(clvOptions, parsed.values);
    const settings = {
      calibrationEnd: options["calibration-end"]!,
      period: options.period,
      horizon: options.horizon,
      monthlyDiscountRate: options["discount-rate"],
    };
    const report = clvReport(readOrdersCsv(options.orders), settings);
    return options.json ? JSON.stringify(report) + "\n" : formatClvReport(report, settings);
  }
  if (command === "rfm") {
    const options = validate(rfmOptions, parsed.values);
    const report = rfmReport(readOrdersCsv(options.orders), options["as-of"]!);
    return options.json ? JSON.stringify(report) + "\n" : formatRfmReport(report);
  }
  throw new InputError(`unknown command ${command ?? "(none)"}\n${USAGE}`);
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      orders: { type: "string" },
      "calibration-end": { type: "string" },
      period: { type: "string" },
      horizon: { type: "string" },
      "discount-rate": { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
    },
  });
}

function validate<Schema extends z.ZodType>(schema: Schema, values: unknown): z.output<Schema> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = issue.path[0] === undefined ? "" : `--${String(issue.path[0])}: `;
    throw new InputError(`${issue.message.startsWith("--") ? "" : option}${issue.message}\n${USAGE}`);
  }
  return parsed.data;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

try {
  process.stdout.write(run(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.error(`crm: ${error.message}`);
  process.exitCode = 2;
}
