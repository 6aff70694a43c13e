// Who is acting in the admin: the online session's user when there is one, else the session
// token's `sub` (the Shopify staff user id). Shared by every route that records staff actions.

export type StaffMember = { userId: bigint | null; name: string };

type AssociatedUser = { id: number | string; first_name?: string; last_name?: string };

export function staffMemberOf(input: {
  associatedUser?: AssociatedUser | null | undefined;
  sessionTokenSub?: unknown;
}): StaffMember {
  const user = input.associatedUser;
  if (user) {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
    return { userId: BigInt(user.id), name: name || "staff" };
  }
  const sub = input.sessionTokenSub;
  const userId = typeof sub === "string" && /^\d{1,19}$/.test(sub) ? BigInt(sub) : null;
  return { userId, name: "staff" };
}
