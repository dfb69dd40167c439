// Polls a condition until it holds or a generous limit passes (the machine is shared: limits are for hangs, not timing).
export async function waitFor(condition: () => boolean | Promise<boolean>, limitMs: number, what: string): Promise<void> {
  const giveUpAt = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > giveUpAt) throw new Error(`Gave up after ${limitMs / 1000} s waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
