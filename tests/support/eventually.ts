/** Poll until `done` holds or the time is up; returns the last value either way (the test asserts on it). */
export async function eventually<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, withinMs = 5_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
