/** The error body the OpenAI API sends, which `@ai-sdk/openai` parses into `APICallError.data`. */
export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** An HTTP error as the emulator sends it: status, headers beyond the content type, body. */
export interface EmulatedHttpError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: OpenAIErrorBody;
}

/**
 * An OpenAI-shaped error (`{ error: { message, type, param, code } }`).
 *
 * @example
 * openAIError(404, 'Unknown model `x`', { type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
 */
export function openAIError(
  status: number,
  message: string,
  details: { type: string; param?: string | null; code?: string | null },
  headers: Record<string, string> = {},
): EmulatedHttpError {
  return {
    status,
    headers,
    body: {
      error: {
        message,
        type: details.type,
        param: details.param ?? null,
        code: details.code ?? null,
      },
    },
  };
}
