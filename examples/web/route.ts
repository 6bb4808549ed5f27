import type { Runtime } from 'hotpath';
import { research } from './chain';

// A route handler on web Request and Response: Next.js, Hono, Bun, Deno and workers take it as is.
export function createChatRoute(runtime: Runtime) {
  return async function POST(request: Request): Promise<Response> {
    const { question } = await request.json();
    const result = runtime.stream(research, { question }, { signal: request.signal });
    // The answer as text parts, each step's progress as `data-step` parts: what useChat reads.
    return result.toUIMessageStreamResponse();
  };
}
