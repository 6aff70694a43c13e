// The two admin UI extensions' own code, run as Shopify admin runs it (remote-ui channel, the
// target's API), with their relative fetch() calls resolved against the app's URL and given the
// staff member's ID token, as Shopify does, and answered by the real routes. Shopify's admin itself
// cannot be reached here, so what is checked is what the extensions send and render, not pixels.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { ADA, BEN, OLGA, customerGid, openAdminExtensionsStore } from "../../../test/helpers/admin-extensions-store";
import { renderAdminExtension } from "../../../test/helpers/render-admin-extension";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);

type Entry = Parameters<typeof renderAdminExtension>[0];
let store: Awaited<ReturnType<typeof openAdminExtensionsStore>>;
let routes: Parameters<typeof store.call>[0];
let block: Entry;
let action: Entry;
const sent: { method: string; path: string; body: string | null }[] = [];

beforeAll(async () => {
  routes = {
    customer: await import("../../routes/api.admin-extensions.customer.$id"),
    adjust: await import("../../routes/api.admin-extensions.adjust-points"),
  };
  store = await openAdminExtensionsStore(db, jobs);
  block = (await import("../../../extensions/customer-insights-block/src/CustomerInsightsBlock")).default as Entry;
  action = (await import("../../../extensions/adjust-points-action/src/AdjustPointsAction")).default as Entry;
});

afterAll(async () => {
  await store.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** Shopify admin's fetch for extensions: relative to the app URL, with the staff member's ID token. */
function stubAdminFetch() {
  vi.stubGlobal("fetch", async (input: string, init: RequestInit = {}) => {
    const body = typeof init.body === "string" ? init.body : null;
    const path = new URL(input, process.env.SHOPIFY_APP_URL).pathname;
    sent.push({ method: init.method ?? "GET", path, body });
    return store.call(routes, store.extensionRequest(input, { method: init.method, body: body ?? undefined }));
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  sent.length = 0;
});

describe("customer details block", () => {
  it("shows a loading state, then the scores, points, tier and the Customer 360 link", async () => {
    stubAdminFetch();
    const rendered = await renderAdminExtension(block, "admin.customer-details.block.render", {
      customerGid: customerGid(ADA),
    });
    expect(rendered.text()).toMatch(/\[ProgressIndicator\].*Loading/);
    const text = await rendered.waitFor(/Gold tier/);
    expect(text).toContain("At risk");
    expect(text).toContain("Can't lose them");
    expect(text).toContain("High churn risk");
    expect(text).toContain("23% likely still active");
    expect(text).toContain("€123.45");
    expect(text).toContain("250 points");
    expect(rendered.find("Badge").map((badge) => [badge.text, badge.props.tone])).toContainEqual([
      "[Badge]High churn risk",
      "critical",
    ]);
    expect(rendered.find("Link")).toEqual([
      { props: expect.objectContaining({ href: `/app/customers/${ADA}` }), text: "[Link]Open in Kinship Customer 360" },
    ]);
    expect(rendered.find("AdminBlock")[0]!.props).toMatchObject({ collapsedSummary: "Can't lose them · 250 pts" });
    expect(sent).toEqual([{ method: "GET", path: `/api/admin-extensions/customer/${ADA}`, body: null }]);
  });

  it("says when scores are not computed yet and the customer is not a member", async () => {
    stubAdminFetch();
    const rendered = await renderAdminExtension(block, "admin.customer-details.block.render", {
      customerGid: customerGid(BEN),
    });
    const text = await rendered.waitFor(/Not a loyalty member/);
    expect(text).toContain("Not computed yet");
    expect(text).not.toContain("[Badge]");
  });

  it("shows a warning, and nothing of the customer, for another shop's customer", async () => {
    stubAdminFetch();
    const rendered = await renderAdminExtension(block, "admin.customer-details.block.render", {
      customerGid: customerGid(OLGA),
    });
    const text = await rendered.waitFor(/\[Banner\]/);
    expect(text).toContain("not imported this customer");
    expect(text).not.toMatch(/Champions|777/);
  });
});

describe("adjust points action", () => {
  const open = async (close = vi.fn()) => {
    stubAdminFetch();
    const rendered = await renderAdminExtension(action, "admin.customer-details.action.render", {
      customerGid: customerGid(ADA),
      close,
    });
    await rendered.waitFor(/Balance: \d+ points, Gold tier/);
    return { rendered, close };
  };
  const field = (rendered: Awaited<ReturnType<typeof renderAdminExtension>>, type: string) =>
    rendered.find(type)[0]!.props as { onChange: (value: unknown) => void; error?: string };
  const press = async (rendered: Awaited<ReturnType<typeof renderAdminExtension>>, label: RegExp) => {
    const button = rendered.find("Button").find((candidate) => label.test(candidate.text));
    await (button!.props.onPress as () => Promise<void>)();
  };

  it("shows the server's field errors beside the fields and stays open", async () => {
    const { rendered, close } = await open();
    field(rendered, "NumberField").onChange(0);
    await press(rendered, /Adjust points/);
    await rendered.waitFor(/\[TextArea\]/);
    await vi.waitFor(() => {
      expect(field(rendered, "NumberField").error).toBe("Points cannot be 0");
      expect(field(rendered, "TextArea").error).toMatch(/reason/);
    });
    expect(close).not.toHaveBeenCalled();
  });

  it("posts the points and reason with one request id, books them once, and closes", async () => {
    const { rendered, close } = await open();
    const before = await db.loyaltyMember.findUniqueOrThrow({ where: { id: store.adaMemberId } });
    field(rendered, "NumberField").onChange(15);
    field(rendered, "TextArea").onChange("Birthday gift");
    await rendered.waitFor(/\[TextArea\]/);
    await press(rendered, /Adjust points/);
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
    // A second press of the same opened form (say, a double click) books nothing more.
    await press(rendered, /Adjust points/);

    const posts = sent.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(2);
    const bodies = posts.map((post) => JSON.parse(post.body!) as Record<string, unknown>);
    expect(bodies[0]).toEqual({
      customerId: customerGid(ADA),
      points: 15,
      reason: "Birthday gift",
      requestId: expect.stringMatching(/^[\w-]{8,64}$/),
    });
    expect(bodies[1]!.requestId).toBe(bodies[0]!.requestId);
    const after = await db.loyaltyMember.findUniqueOrThrow({ where: { id: store.adaMemberId } });
    expect(after.pointsBalance).toBe(before.pointsBalance + 15);
    expect(await db.staffAuditEntry.count({ where: { shopId: store.shop.id, action: "points.adjusted" } })).toBe(1);
  });

  it("explains that a non-member has no points to adjust, with the button disabled", async () => {
    stubAdminFetch();
    const rendered = await renderAdminExtension(action, "admin.customer-details.action.render", {
      customerGid: customerGid(BEN),
      close: vi.fn(),
    });
    await rendered.waitFor(/not a loyalty member/);
    const button = rendered.find("Button").find((candidate) => /Adjust points/.test(candidate.text));
    expect(button!.props.disabled).toBe(true);
    expect(rendered.find("NumberField")).toEqual([]);
  });
});
