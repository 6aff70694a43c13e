// A CSV download from inside the embedded admin: a plain link would reach the app without a
// session token, so the file is fetched (App Bridge adds the token to same-origin fetches) and
// handed to the browser as a file.
import { Button } from "@shopify/polaris";
import { useState } from "react";

export function CsvDownloadButton({
  url,
  filename,
  label = "Export CSV",
  disabled = false,
}: {
  url: string;
  filename: string;
  label?: string;
  disabled?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`export answered ${response.status}`);
      const objectUrl = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = objectUrl;
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={() => void download()} loading={busy} disabled={disabled} tone={failed ? "critical" : undefined}>
      {failed ? "Export failed, try again" : label}
    </Button>
  );
}
