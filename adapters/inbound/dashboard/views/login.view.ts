import { html } from "hono/html";
import { layout, type Html } from "./layout";

/** The sign-in form every page shows (with 401) until the browser holds a session. */
export function loginView(next: string, failed: boolean): Html {
  return layout(
    { title: "Sign in", section: null, csrf: null },
    html`<h1>Sign in to the dashboard</h1>
<p>Enter the dashboard token: <code>DASHBOARD_TOKEN</code>, or the one the server printed when it started.</p>
${failed ? html`<p class="notice error" role="alert">That token is not the dashboard token.</p>` : ""}
<form method="post" action="/dashboard/login">
  <input type="hidden" name="next" value="${next}">
  <div class="field">
    <label for="token">Dashboard token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  </div>
  <button type="submit">Sign in</button>
</form>`,
  );
}
