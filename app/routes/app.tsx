import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { BlockStack, Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";

import { env } from "../config/env.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  // Only public values reach the browser: the API key is public by design.
  return { apiKey: env().SHOPIFY_API_KEY, appBridgeUrl: env().APP_BRIDGE_URL ?? null };
};

const PAGE_TITLES: [prefix: string, title: string][] = [
  ["/app/customers", "Customers"],
  ["/app/segments", "Segments"],
  ["/app/loyalty", "Loyalty"],
  ["/app/automations", "Automations"],
  ["/app/feedback", "Feedback"],
  ["/app/settings/audit-log", "Staff audit log"],
  ["/app/settings", "Settings"],
  ["/app", "Dashboard"],
];

function titleOf(pathname: string): string {
  return PAGE_TITLES.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`))?.[1] ?? "Kinship";
}

/** Shown while another page's loader runs, so a click answers at once. */
function PageSkeleton({ title }: { title: string }) {
  return (
    <SkeletonPage title={title} primaryAction>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <SkeletonDisplayText size="small" />
              <SkeletonBodyText lines={4} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <SkeletonBodyText lines={6} />
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <SkeletonBodyText lines={6} />
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

export default function AppLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  // Only a move to another page shows the skeleton; a form post or a new page of the same list keeps the page.
  const target = navigation.state === "loading" && !navigation.formMethod ? navigation.location.pathname : null;
  const loadingOtherPage = target !== null && target !== location.pathname;
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/segments">Segments</Link>
        <Link to="/app/loyalty">Loyalty</Link>
        <Link to="/app/automations">Automations</Link>
        <Link to="/app/feedback">Feedback</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {loadingOtherPage ? <PageSkeleton title={titleOf(target)} /> : <Outlet />}
    </AppProvider>
  );
}

// Shopify's thrown responses (re-auth, bounce) must keep their headers.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
