import { exceptionResponse, send, type HttpOptions, type WopiResponse } from './http-client';
import type { RequestDef, TestCaseDef } from './model';
import { ProofSigningError } from './proof/signing';
import { buildRequest, specOf, type RunTarget } from './request-builder';
import { initialState, stateValue, type SavedState } from './state';
import type { SchemaStore } from './validators/json-schemas';
import { validateResponse } from './validators/validate';

export interface ExecutionEnv {
  target: RunTarget;
  schemas: SchemaStore;
  http: HttpOptions;
  /** User-Agent for the whole case (Office native-client cases), or none. */
  userAgent?: string;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface RequestRecord {
  name: string;
  method: string;
  url: string;
  status: number;
  errors: string[];
  cleanup: boolean;
}

export interface CaseRun {
  status: 'Pass' | 'Fail';
  /** Why it failed: the case's FailMessage, "<Request> request failed.", or the runner's error. */
  message: string;
  errors: string[];
  requests: RequestRecord[];
}

/**
 * TestCaseExecutor.ExecuteTestCase: requests in order with fresh state; the first request with a
 * validation failure fails the case; state is saved only after a request passed; cleanup requests
 * always run afterwards and their outcome never matters. Where Microsoft's runner would abort the
 * whole run (a missing state key, a resource that does not exist…) this case fails instead.
 */
export async function executeCase(testCase: TestCaseDef, env: ExecutionEnv): Promise<CaseRun> {
  const state = initialState(env.target.token, env.target.wopiSrc);
  const requests: RequestRecord[] = [];
  let failure: Omit<CaseRun, 'requests' | 'status'> | undefined;
  try {
    for (const request of testCase.requests) {
      if (specOf(request).kind === 'delay') {
        await env.sleep((request.params.delaySeconds ?? 0) * 1000);
        continue;
      }
      const { response, url, method } = await perform(request, state, env);
      const errors = validateResponse(request.validators, response, {
        state,
        resources: env.target.resources,
        schemas: env.schemas,
        nowMs: env.now(),
      });
      requests.push({
        name: request.type,
        method,
        url,
        status: response.status,
        errors,
        cleanup: false,
      });
      if (errors.length > 0) {
        failure = {
          message: testCase.failMessage?.trim()
            ? testCase.failMessage
            : `${request.type} request failed.`,
          errors,
        };
        break;
      }
      for (const entry of request.state) {
        state.set(entry.name, stateValue(entry, response));
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failure = { message: `runner: ${message}`, errors: [message] };
  } finally {
    await cleanup(testCase, state, env, requests);
  }
  return failure
    ? { status: 'Fail', ...failure, requests }
    : { status: 'Pass', message: '', errors: [], requests };
}

async function perform(
  request: RequestDef,
  state: SavedState,
  env: ExecutionEnv,
): Promise<{ response: WopiResponse; url: string; method: string }> {
  let outgoing;
  try {
    outgoing = buildRequest(request, state, env.target, env.userAgent);
  } catch (error) {
    if (error instanceof ProofSigningError) {
      return { response: exceptionResponse(error), url: '', method: specOf(request).method };
    }
    throw error;
  }
  const response = await send(outgoing, specOf(request).textResponse, env.http);
  return { response, url: outgoing.url, method: outgoing.method };
}

async function cleanup(
  testCase: TestCaseDef,
  state: SavedState,
  env: ExecutionEnv,
  records: RequestRecord[],
): Promise<void> {
  for (const request of testCase.cleanup) {
    try {
      if (specOf(request).kind === 'delay') {
        await env.sleep((request.params.delaySeconds ?? 0) * 1000);
        continue;
      }
      const { response, url, method } = await perform(request, state, env);
      records.push({
        name: request.type,
        method,
        url,
        status: response.status,
        errors: [],
        cleanup: true,
      });
    } catch {
      records.push({
        name: request.type,
        method: '',
        url: '',
        status: 0,
        errors: [],
        cleanup: true,
      });
    }
  }
}
