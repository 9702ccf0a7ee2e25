/** A small seeded PRNG (mulberry32), so randomized tests fail the same way every time they fail. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'c', ' ', '\n', 'é', 'ß', '€', '😀', '%', '+', '<', '>', '&', '"'];

/** Random text over a small alphabet with multi-byte characters and a surrogate pair. */
export function randomText(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * maxLength);
  let text = '';
  for (let i = 0; i < length; i++) {
    text += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? 'a';
  }
  return text;
}

/** `text` with a few random insertions and deletions, never splitting a surrogate pair. */
export function randomEdit(random: () => number, text: string, maxChanges = 3): string {
  const chars = Array.from(text);
  const changes = 1 + Math.floor(random() * maxChanges);
  for (let i = 0; i < changes; i++) {
    const at = Math.floor(random() * (chars.length + 1));
    if (random() < 0.6 || chars.length === 0) {
      chars.splice(at, 0, ...Array.from(randomText(random, 6)));
    } else {
      chars.splice(at, 1 + Math.floor(random() * 4));
    }
  }
  return chars.join('');
}

/** A patch text damaged in one of the ways a broken or hostile client might send. */
export function mutatePatch(random: () => number, patch: string): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const at = Math.floor(random() * (patch.length + 1));
  switch (Math.floor(random() * 8)) {
    case 0:
      return (
        patch.slice(0, at) + pick(['%', '%E2', '@', '\n', ' ', '+', '-', 'x']) + patch.slice(at)
      );
    case 1:
      return patch.slice(0, at) + patch.slice(at + 1 + Math.floor(random() * 5));
    case 2:
      return patch.replace(/\d+/, () => String(Math.floor(random() * 200)));
    case 3:
      return patch.replace(/@@ -(\d+)/, () => `@@ -${String(99_999_999_999)}`);
    case 4:
      return patch + patch;
    case 5:
      return patch.replace(/\n[ +-]/, () => `\n${pick([' ', '+', '-', '=', ''])}`);
    case 6:
      return patch.split('\n').reverse().join('\n');
    default:
      return Array.from({ length: Math.floor(random() * 40) }, () =>
        String.fromCharCode(Math.floor(random() * 0x3000)),
      ).join('');
  }
}
