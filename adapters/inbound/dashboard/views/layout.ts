import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** What the page's frame needs: the open section (for `aria-current`) and the session's CSRF token for sign-out. */
export interface PageFrame {
  readonly title: string;
  readonly section: "overview" | "callers" | "events" | null;
  readonly csrf: string | null;
}

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  { section: "overview", href: "/dashboard", label: "Overview" },
  { section: "callers", href: "/dashboard/callers", label: "Callers" },
  { section: "events", href: "/dashboard/events", label: "Events" },
] as const;

/** The page around every view: a skip link, the navigation, and one `main` landmark. */
export function layout(frame: PageFrame, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${frame.title} · AgenticMemory</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">AgenticMemory</span>
  ${
    frame.csrf === null
      ? ""
      : html`<nav aria-label="Dashboard">
    <ul>
      ${NAV.map((item) => html`<li><a href="${item.href}"${item.section === frame.section ? html` aria-current="page"` : ""}>${item.label}</a></li>`)}
    </ul>
  </nav>
  <form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="${frame.csrf}"><button class="secondary" type="submit">Sign out</button></form>`
  }
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`;
}

/** A form's hidden CSRF field. */
export const csrfField = (csrf: string): Html => html`<input type="hidden" name="csrf" value="${csrf}">`;

/** A share (0..1) as a whole percentage, or an em dash when there was nothing to share. */
export const percent = (value: number | null): string => (value === null ? "—" : `${Math.round(value * 100)} %`);

/** Milliseconds, rounded, or an em dash. */
export const millis = (value: number | null): string => (value === null ? "—" : `${Math.round(value)} ms`);

/** A unix-seconds or ISO time as `YYYY-MM-DD HH:MM UTC`. */
export function when(value: number | string | null): string {
  if (value === null) return "—";
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export type { Html };
