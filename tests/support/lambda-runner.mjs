// Runs one built Lambda bundle the way the Lambda runtime does: import `index.mjs` once (the cold
// start), then hand it one event at a time with a context whose remaining time counts down from the
// function's timeout. Driven over IPC by tests/support/lambda-process.ts; plain node, no TypeScript.
import process from "node:process";
import { pathToFileURL } from "node:url";

const [bundle, functionName, timeoutMs] = process.argv.slice(2);
// The Lambda runtime sets it in every function's environment; the handlers prime their scope at import where it is set.
process.env.AWS_LAMBDA_FUNCTION_NAME = functionName;
let handler;
try {
  ({ handler } = await import(pathToFileURL(bundle ?? "").href));
} catch (error) {
  process.send?.({ type: "init-error", error: { name: error?.name, message: error?.message } });
  process.exit(1);
}
process.on("message", async (message) => {
  const deadline = Date.now() + Number(timeoutMs);
  const context = {
    functionName,
    awsRequestId: message.id,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(message.event, context);
    process.send?.({ type: "result", id: message.id, result });
  } catch (error) {
    process.send?.({ type: "error", id: message.id, error: { name: error?.name, message: error?.message } });
  }
});
process.send?.({ type: "ready" });
