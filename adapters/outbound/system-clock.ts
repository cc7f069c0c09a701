import type { Clock } from "../../application/ports/clock.port";

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
}
