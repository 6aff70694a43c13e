// Verbatim comments, newest first, with a search (GET form) and keyset pages (?before=<id>).
import { Form, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { formatShopDateTime } from "../../lib/shop-time";
import { SURVEY_LABELS, bandTone } from "./feedback-format";

export interface CommentItem {
  id: string;
  kind: string;
  score: number;
  band: string | null;
  comment: string;
  answeredAt: string;
  customerShopifyId: string | null;
  customerName: string | null;
}

export function CommentsCard(props: {
  comments: CommentItem[];
  nextCursor: string | null;
  search: string;
  timeZone: string;
}) {
  const [search, setSearch] = useState(props.search);
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  if (props.nextCursor) next.set("before", props.nextCursor);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Comments
        </Text>
        <Form method="get">
          <InlineStack gap="200" blockAlign="end">
            <Box minWidth="18rem">
              <TextField
                label="Search comments"
                name="q"
                value={search}
                onChange={setSearch}
                autoComplete="off"
                maxLength={100}
              />
            </Box>
            <Button submit>Search</Button>
          </InlineStack>
        </Form>
        {props.comments.length === 0 ? (
          <Text as="p" tone="subdued">
            {props.search ? `No comments mention “${props.search}”.` : "No comments yet."}
          </Text>
        ) : (
          props.comments.map((item) => (
            <Box key={item.id} paddingBlockEnd="200" borderBlockEndWidth="025" borderColor="border">
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center">
                  <Badge tone={bandTone(item.band)}>{`${SURVEY_LABELS[item.kind] ?? item.kind} ${item.score}`}</Badge>
                  {item.customerShopifyId ? (
                    <Link url={`/app/customers/${item.customerShopifyId}`}>{item.customerName ?? "Customer"}</Link>
                  ) : (
                    <Text as="span">Guest</Text>
                  )}
                  <Text as="span" variant="bodySm" tone="subdued">
                    {formatShopDateTime(item.answeredAt, props.timeZone)}
                  </Text>
                </InlineStack>
                <Text as="p" breakWord>
                  {item.comment}
                </Text>
              </BlockStack>
            </Box>
          ))
        )}
        <InlineStack gap="200">
          {params.get("before") ? (
            <Button url={`?${new URLSearchParams(props.search ? { q: props.search } : {})}`}>Newest</Button>
          ) : null}
          {props.nextCursor ? <Button url={`?${next}`}>Older comments</Button> : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
