// The app's public URL (application_url in shopify.app.toml): extensions cannot read the app's
// environment, so a deployment sets it here (or `shopify app config link` rewrites both).
export const APP_URL = "https://kinship.example.com";
