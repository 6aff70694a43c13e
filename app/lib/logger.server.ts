// Structured logs (pino). Secrets, tokens and customer personal data never reach them:
// known sensitive keys are redacted wherever they appear in a log object.
import { pino, type Logger } from "pino";

const REDACTED_KEYS = [
  "accessToken",
  "access_token",
  "token",
  "idToken",
  "id_token",
  "sessionToken",
  "apiSecret",
  "password",
  "authorization",
  "email",
  "phone",
  "firstName",
  "lastName",
  "first_name",
  "last_name",
];

export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.KINSHIP_SERVICE ?? "app" },
  redact: {
    paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((key) => `*.${key}`)],
    censor: "[redacted]",
  },
});

export type { Logger };
