// The app's public URL (application_url in shopify.app.toml), as in loyalty-account/src/app-url.ts:
// extensions cannot read the app's environment, so a deployment sets it here.
export const APP_URL = "https://kinship.example.com";
