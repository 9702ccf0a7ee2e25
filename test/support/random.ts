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
