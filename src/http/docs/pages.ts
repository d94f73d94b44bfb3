// The browser pages' own files: the /docs page that loads Swagger UI, its initializer, the landing page of GET /,
// one small stylesheet, and the Content-Security-Policy they are served with. Kept as strings in a module rather than
// files beside it, because the compiled program in dist/ carries only what tsc emits.

/**
 * Nothing but this node: scripts only from its own files (no inline script), requests only to itself. Swagger UI
 * needs two allowances: inline styles (its React components set style attributes) and data: images (its icons);
 * blob: shows an image answer of "Try it out".
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The landing page has no script and no inline style at all. */
export const LANDING_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers of every HTML page: its policy, and no referrer (a page URL may carry a deep link's operation). */
export function pageHeaders(csp: string): Record<string, string> {
  return { 'content-security-policy': csp, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
}

/** Where everything is: the landing page, GET / as JSON, and the docs page link the same places. */
export const LINKS = { docs: '/docs', openapi: '/openapi.json', console: '/console', health: '/v1/health' } as const;

const STYLESHEET_PATH = '/docs/openprem.css';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function docsPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenPrem ${escapeHtml(version)}: API documentation</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;
}

// validatorUrl null: the default sends the document to validator.swagger.io for a badge. No StandaloneLayout: its
// top bar loads any URL typed into it. queryConfigEnabled stays off, so ?url= cannot point the page elsewhere.
// persistAuthorization false: a token typed into Authorize is forgotten with the tab, never kept in localStorage.
export const SWAGGER_INITIALIZER = `// Swagger UI for this node's own document (served by OpenPrem, see src/http/docs/pages.ts).
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  filter: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

export function landingPage(version: string, apiLevel: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenPrem</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body class="landing">
<main>
<h1>OpenPrem</h1>
<p>WhatsApp Business On-Premises API server, version <strong>${escapeHtml(version)}</strong> (API level ${escapeHtml(apiLevel)}).</p>
<ul>
<li><a href="${LINKS.docs}">API documentation</a>: every endpoint, with Try it out</li>
<li><a href="${LINKS.console}">Console</a></li>
<li><a href="${LINKS.health}">Health</a> (with a token or the API key)</li>
<li><a href="${LINKS.openapi}">OpenAPI document</a> (<a href="/openapi.yaml">YAML</a>)</li>
</ul>
</main>
</body>
</html>
`;
}

export const STYLESHEET = `/* OpenPrem's pages: the landing page, and the frame around Swagger UI on /docs. */
body { margin: 0; background: #fafafa; font-family: system-ui, sans-serif; color: #1b1b1b; }
.swagger-ui .info { margin: 24px 0; }
body.landing main { max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; line-height: 1.6; }
body.landing h1 { font-size: 2rem; margin-bottom: 0.5rem; }
body.landing a { color: #0b6e4f; }
`;
