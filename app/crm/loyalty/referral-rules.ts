// Who may be credited for referring whom. Blocked: referring yourself, a friend with the same
// e-mail (plus-addressing and case do not make a new person), and a friend who had already
// bought before the referral (that is not a new customer).

export type ReferralBlockReason = "self_referral" | "same_email" | "existing_customer";

/** Lower-case, trimmed, without a +tag, and without dots in Gmail local parts. */
export function normalisedEmail(email: string | null): string | null {
  if (!email) return null;
  const [local, domain] = email.trim().toLowerCase().split("@");
  if (!local || !domain) return null;
  let person = local.split("+")[0]!;
  if (domain === "gmail.com" || domain === "googlemail.com") person = person.replaceAll(".", "");
  return `${person}@${domain === "googlemail.com" ? "gmail.com" : domain}`;
}

export function referralBlockReason(input: {
  referrer: { customerId: bigint; email: string | null };
  friend: { customerId: bigint; email: string | null; paidOrdersBefore: number };
}): ReferralBlockReason | null {
  if (input.referrer.customerId === input.friend.customerId) return "self_referral";
  const referrerEmail = normalisedEmail(input.referrer.email);
  if (referrerEmail !== null && referrerEmail === normalisedEmail(input.friend.email)) return "same_email";
  if (input.friend.paidOrdersBefore > 0) return "existing_customer";
  return null;
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A referral code from random bytes (no 0/O/1/I, so it reads aloud). */
export function referralCodeFrom(bytes: Uint8Array, length = 8): string {
  let code = "";
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[bytes[i % bytes.length]! % CODE_ALPHABET.length];
  return code;
}
