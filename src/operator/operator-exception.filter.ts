import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { AppError } from '../common/errors/app-error';

/** The error body an operator gets (Nest sends it as the reply's `err`). */
export interface OperatorErrorBody {
  code: string;
  message: string;
}

/** Domain errors become `{code, message}`; anything else is logged and answered as INTERNAL. */
@Catch()
export class OperatorExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(OperatorExceptionFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    if (exception instanceof AppError) {
      const body: OperatorErrorBody = { code: exception.code, message: exception.message };
      return throwError(() => body);
    }
    this.logger.error(
      { error: exception instanceof Error ? exception.message : String(exception) },
      'operator request failed',
    );
    const body: OperatorErrorBody = { code: 'INTERNAL', message: 'internal error' };
    return throwError(() => body);
  }
}
