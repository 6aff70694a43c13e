import type { ActionFunctionArgs } from "@remix-run/node";

import { staffMemberOf } from "../crm/audit/staff-member";
import { runCustomerBulkAction } from "../crm/customers/customer-bulk-actions.server";
import { customersAppDeps } from "../crm/customers/customers-app-deps.server";
import { authenticate } from "../shopify.server";

// Bulk actions of the Customers list (add tag, adjust points, add to segment), posted by its
// modal as one JSON `payload` field; answers field errors or a message.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  return runCustomerBulkAction(customersAppDeps(session.shop, admin), {
    shopDomain: session.shop,
    staff,
    payload: form.get("payload") ?? "",
  });
};
