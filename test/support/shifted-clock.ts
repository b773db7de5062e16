// Loaded with --import before the bot's entry point: the whole process reads a wall clock CLOCK_SHIFT_MS
// ahead of the real one, as if it had been restarted that much later. Waits (setTimeout) are unchanged.
const shift = Number(process.env.CLOCK_SHIFT_MS ?? 0);
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + shift;
