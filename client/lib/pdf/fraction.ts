/** "a / b" kept left-to-right inside Arabic text (an isolate), else bidi shows "b / a". */
export const fraction = (a: number | string, b: number | string) => `\u2066${a} / ${b}\u2069`;
