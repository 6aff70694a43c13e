// The privacy area's one error class. Routes map codes to HTTP statuses; apply-webhook
// turns `invalid_payload` into an unrecoverable job failure (a retry would not help).
export type PrivacyErrorCode = "invalid_payload" | "not_found";

export class PrivacyError extends Error {
  constructor(
    readonly code: PrivacyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PrivacyError";
  }
}
