/** Time source of the discovery module (a port, so tests can replay old proof timestamps). */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
