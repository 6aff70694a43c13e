// Customer 360: notes staff wrote on the customer, newest first, and the form to add one.
import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import { Fragment } from "react";

import { NOTE_MAX_LENGTH } from "../../crm/customer-360/customer-360-input";
import type { Customer360 } from "../../crm/customer-360/customer-360.server";
import { FormTextField } from "../loyalty/form-fields";

export function NotesCard({
  notes,
  redacted,
  errors,
  saving,
}: {
  notes: Customer360["notes"];
  redacted: boolean;
  errors: Record<string, string>;
  saving: boolean;
}) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Staff notes
        </Text>
        {redacted ? (
          <Text as="p" tone="subdued">
            Notes are not shown for a redacted customer.
          </Text>
        ) : (
          <>
            {/* Keyed by the newest note so the field empties once a note is saved. */}
            <Form method="post" key={notes[0]?.id ?? "none"}>
              <input type="hidden" name="intent" value="note" />
              <BlockStack gap="200">
                <FormTextField
                  label="Add a note"
                  name="body"
                  multiline={3}
                  maxLength={NOTE_MAX_LENGTH}
                  showCharacterCount
                  helpText="Only staff see notes."
                  error={errors.body ?? errors.form}
                />
                <InlineStack>
                  <Button submit loading={saving}>
                    Add note
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
            {notes.length === 0 ? (
              <Text as="p" tone="subdued">
                No notes yet.
              </Text>
            ) : (
              <BlockStack gap="300">
                {notes.map((note, index) => (
                  <Fragment key={note.id}>
                    {index > 0 ? <Divider /> : null}
                    <BlockStack gap="100">
                      <Text as="p" breakWord>
                        {note.body}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">{`${note.by} · ${note.at}`}</Text>
                    </BlockStack>
                  </Fragment>
                ))}
              </BlockStack>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}
