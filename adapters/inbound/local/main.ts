import { serve, startFailure } from "./serve";

/** `npm start`: the local backend (see {@link serve}). */
serve().catch((error: unknown) => {
  console.error(startFailure(error));
  process.exit(1);
});
