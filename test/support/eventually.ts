/** Polls `check` every 250 ms until it holds; throws after `timeoutMs`. For work a server finishes after answering. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
