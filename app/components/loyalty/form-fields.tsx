// Polaris inputs inside a plain Remix <Form>: each keeps its own value and posts it by `name`;
// errors come from the action's field errors.
import { Checkbox, Select, TextField, type SelectProps, type TextFieldProps } from "@shopify/polaris";
import { useState } from "react";

type FieldProps = Omit<TextFieldProps, "value" | "onChange" | "autoComplete" | "name"> & {
  name: string;
  defaultValue?: string;
  autoComplete?: string;
};

export function FormTextField({ name, defaultValue = "", autoComplete = "off", ...props }: FieldProps) {
  const [value, setValue] = useState(defaultValue);
  return <TextField {...props} name={name} value={value} onChange={setValue} autoComplete={autoComplete} />;
}

export function FormCheckbox(props: { name: string; label: string; defaultChecked: boolean; helpText?: string }) {
  const [checked, setChecked] = useState(props.defaultChecked);
  return (
    <Checkbox
      name={props.name}
      value="on"
      label={props.label}
      helpText={props.helpText}
      checked={checked}
      onChange={setChecked}
    />
  );
}

export function FormSelect({
  name,
  defaultValue,
  onValueChange,
  ...props
}: Omit<SelectProps, "value" | "onChange" | "name"> & {
  name: string;
  defaultValue: string;
  onValueChange?: (value: string) => void;
}) {
  const [value, setValue] = useState(defaultValue);
  return (
    <Select
      {...props}
      name={name}
      value={value}
      onChange={(next) => {
        setValue(next);
        onValueChange?.(next);
      }}
    />
  );
}

/** The field errors of the action, when they belong to this form. */
export function errorsFor(
  actionData: { ok: boolean; errors?: Record<string, string>; formKey?: string } | undefined,
  formKey: string,
): Record<string, string> {
  return actionData && !actionData.ok && actionData.formKey === formKey ? (actionData.errors ?? {}) : {};
}
