// The segments domain's error; routes map codes to HTTP statuses and field errors.
export type SegmentErrorCode = "not_found" | "name_taken" | "unknown_customers";

export class SegmentError extends Error {
  constructor(
    readonly code: SegmentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SegmentError";
  }
}
