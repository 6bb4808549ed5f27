export {
  createDeepSeekModel,
  type DeepSeekCallOptions,
  type DeepSeekFactory,
  type DeepSeekModelId,
  type DeepSeekOptions,
} from './deepseek';
export {
  createInceptionModel,
  type InceptionModelId,
  type InceptionOptions,
  type InceptionRequestOptions,
  inceptionBaseURL,
} from './inception';
export { createOpenAIModel, type OpenAIModelId, type OpenAIOptions } from './openai';
export type { PresetOptions } from './preset';
