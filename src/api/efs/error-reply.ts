// EFS errors on the wire: status from the model's error shape, x-amzn-ErrorType header, {"ErrorCode","Message"} body.
import type { HttpReply } from '../http-reply.ts';
import type { ServiceModel } from '../model/service-model.ts';

export function efsError(model: ServiceModel, code: string, message: string, details: Readonly<Record<string, string>> = {}, status?: number): HttpReply {
  const httpStatus = status ?? model.shapes[code]?.error?.httpStatusCode ?? 400;
  return {
    status: httpStatus,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ ErrorCode: code, Message: message, ...details }),
  };
}
