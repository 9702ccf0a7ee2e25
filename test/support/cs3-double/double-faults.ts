import type { Cs3Code, GatewayMethod } from '../../../src/cs3/proto/cs3.messages';

interface PlannedFailure {
  method: GatewayMethod;
  code: Cs3Code;
  message: string;
  times: number;
}

/**
 * Switches that make the double misbehave. Set them at any time; `reset()` clears them all.
 */
export class Cs3DoubleFaults {
  /** Every gRPC call fails with gRPC status UNAVAILABLE, as through a proxy whose gateway is down. */
  unavailable = false;
  /** Every gRPC call waits this long before it is handled (a slow gateway). */
  delayMs = 0;
  private planned: PlannedFailure[] = [];
  private uploadCut?: number;

  /**
   * The next `times` (default 1) calls of `method` answer with CS3 status `code` instead of being
   * handled, e.g. `failNext('Delete', 'CODE_TOO_EARLY', { times: 2 })`.
   */
  failNext(
    method: GatewayMethod,
    code: Cs3Code,
    options: { times?: number; message?: string } = {},
  ): void {
    this.planned.push({
      method,
      code,
      message: options.message ?? `injected ${code}`,
      times: options.times ?? 1,
    });
  }

  /** The next upload PUT is cut off (its connection destroyed) once more than `bytes` arrived. */
  refuseUploadAfter(bytes: number): void {
    this.uploadCut = bytes;
  }

  reset(): void {
    this.unavailable = false;
    this.delayMs = 0;
    this.planned = [];
    this.uploadCut = undefined;
  }

  /** @internal The planned failure for this call, if any (consumes one). */
  takeFailure(method: GatewayMethod): { code: Cs3Code; message: string } | undefined {
    const planned = this.planned.find((p) => p.method === method);
    if (!planned) {
      return undefined;
    }
    planned.times -= 1;
    if (planned.times <= 0) {
      this.planned = this.planned.filter((p) => p !== planned);
    }
    return { code: planned.code, message: planned.message };
  }

  /** @internal The byte limit for the current upload, if one was set (consumes it). */
  takeUploadCut(): number | undefined {
    const cut = this.uploadCut;
    this.uploadCut = undefined;
    return cut;
  }
}
