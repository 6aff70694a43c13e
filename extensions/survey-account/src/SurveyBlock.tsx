// Customer account, order status page: one short survey about this order (NPS, CSAT or the
// shop's questionnaire), shown while the shop still asks it and it has not been answered: as soon
// as the order has arrived (order-delivery.ts), else from the shop's "days after the order" on.
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Heading,
  InlineStack,
  Text,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  reactExtension,
  useApi,
  useOrder,
} from "@shopify/ui-extensions-react/customer-account";
import { useEffect, useState } from "react";

import { APP_URL } from "./app-url";
import { fetchDeliveryState, hasArrived } from "./order-delivery";
import { QUESTIONS, scaleOf, thanksText, type AnswerResult, type OpenSurveys, type SurveyKind } from "./survey-data";

const TARGET = "customer-account.order-status.block.render";

export default reactExtension(TARGET, () => <SurveyBlock />);

type State =
  | { kind: "loading" }
  | { kind: "hidden" }
  | { kind: "open"; survey: OpenSurveys["surveys"][number] }
  | { kind: "done"; result: AnswerResult };

function SurveyBlock() {
  const { sessionToken } = useApi<typeof TARGET>();
  const order = useOrder();
  const [state, setState] = useState<State>({ kind: "loading" });
  const [error, setError] = useState<string | null>(null);
  const [arrived, setArrived] = useState(false);
  const orderId = order?.id;

  useEffect(() => {
    if (!orderId) return;
    let cancelled = false;
    (async () => {
      const delivered = hasArrived(await fetchDeliveryState(orderId));
      if (!cancelled) setArrived(delivered);
      const token = await sessionToken.get();
      const query = `order=${encodeURIComponent(orderId)}${delivered ? "&delivered=1" : ""}`;
      const response = await fetch(`${APP_URL}/api/customer-account/survey?${query}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
      });
      const open = response.ok ? ((await response.json()) as OpenSurveys) : null;
      const first = open?.surveys[0];
      if (!cancelled) setState(first ? { kind: "open", survey: first } : { kind: "hidden" });
    })().catch(() => {
      // The survey is optional: a failure hides the block rather than alarming the shopper.
      if (!cancelled) setState({ kind: "hidden" });
    });
    return () => {
      cancelled = true;
    };
  }, [orderId, sessionToken]);

  if (state.kind === "loading" || state.kind === "hidden") return null;
  if (state.kind === "done") {
    return (
      <Card padding>
        <BlockStack>
          {thanksText(state.result).map((line) => (
            <Text key={line}>{line}</Text>
          ))}
        </BlockStack>
      </Card>
    );
  }

  const submit = async (answer: Record<string, unknown>) => {
    setError(null);
    const token = await sessionToken.get();
    const response = await fetch(`${APP_URL}/api/customer-account/survey`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ order: orderId, kind: state.survey.kind, delivered: arrived, ...answer }),
    });
    const body = (await response.json().catch(() => ({}))) as Partial<AnswerResult> & {
      errors?: Record<string, string>;
      error?: string;
    };
    if (response.ok) setState({ kind: "done", result: body as AnswerResult });
    else if (body.error === "already_answered" || body.error === "not_open") setState({ kind: "hidden" });
    else setError(Object.values(body.errors ?? {})[0] ?? "Your answer could not be sent. Please try again.");
  };

  return <SurveyForm survey={state.survey} error={error} onSubmit={submit} />;
}

function SurveyForm(props: {
  survey: OpenSurveys["surveys"][number];
  error: string | null;
  onSubmit: (answer: Record<string, unknown>) => Promise<void>;
}) {
  const { kind, statements } = props.survey;
  const questions = kind === "likert" ? statements : [QUESTIONS[kind]];
  const [answers, setAnswers] = useState<(string | undefined)[]>(questions.map(() => undefined));
  const [comment, setComment] = useState("");
  const [sending, setSending] = useState(false);
  const complete = answers.every((answer) => answer !== undefined);
  const send = () => {
    setSending(true);
    const answer = kind === "likert" ? { answers: answers.map(Number) } : { score: Number(answers[0]) };
    props.onSubmit({ ...answer, comment }).finally(() => setSending(false));
  };
  return (
    <Card padding>
      <BlockStack>
        <Heading>How was your order?</Heading>
        {kind === "likert" ? <Text>{QUESTIONS.likert}</Text> : null}
        {questions.map((question, index) => (
          <Scale
            key={question}
            kind={kind}
            label={question}
            value={answers[index]}
            onChange={(value) => setAnswers((current) => current.map((a, i) => (i === index ? value : a)))}
          />
        ))}
        <TextField
          label="Anything you would like to add? (optional)"
          multiline={3}
          value={comment}
          onChange={setComment}
        />
        {props.error ? <Banner status="critical">{props.error}</Banner> : null}
        <Button disabled={!complete} loading={sending} onPress={send}>
          Send my answer
        </Button>
      </BlockStack>
    </Card>
  );
}

function Scale(props: {
  kind: SurveyKind;
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
}) {
  const scale = scaleOf(props.kind);
  return (
    <BlockStack spacing="tight">
      <Text emphasis="bold">{props.label}</Text>
      <ToggleButtonGroup value={props.value ?? ""} onChange={props.onChange}>
        <InlineStack spacing="tight">
          {scale.values.map((value) => (
            <ToggleButton key={value} id={value} accessibilityLabel={`${props.label}: ${value}`}>
              {value}
            </ToggleButton>
          ))}
        </InlineStack>
      </ToggleButtonGroup>
      <InlineStack spacing="base">
        <Text appearance="subdued" size="small">{`${scale.values[0]}: ${scale.low}`}</Text>
        <Text appearance="subdued" size="small">{`${scale.values.at(-1)}: ${scale.high}`}</Text>
      </InlineStack>
    </BlockStack>
  );
}
