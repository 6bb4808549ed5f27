import { InvalidArgumentError } from '../errors';
import type { EndpointOptions } from './pool';

/** Whether `url` is one a provider can be reached at: `http://` or `https://` and more. */
function isHttpUrl(url: string): boolean {
  return /^https?:\/\/./.test(url);
}

/** `text` with the credentials of any URL in it hidden: `https://***@proxy.example`. */
function maskCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/g, '//***@');
}

/**
 * The URL in a `*_BASE_URL` or `HOTPATH_EMULATOR_URL` variable, trimmed; none when it is unset or
 * blank. A value that is no http(s) URL fails here, naming the variable, rather than as a model
 * error at the first call.
 */
export function readUrl(variable: string, value: string | undefined): string | undefined {
  const url = value?.trim();
  if (!url) return undefined;
  if (!isHttpUrl(url)) {
    throw new InvalidArgumentError({
      argument: variable,
      message: `Expected \`${variable}\` to be an http(s) URL (e.g. \`https://api.example.com/v1\`), got \`${maskCredentials(url)}\``,
    });
  }
  return url;
}

/**
 * The places in a `*_ENDPOINTS` variable: comma-separated `name=url` or `name@region=url`; none
 * when it is unset. A part without a name or a URL fails, naming the variable.
 */
export function readEndpoints(
  variable: string,
  value: string | undefined,
): (EndpointOptions & { url: string })[] {
  if (!value?.trim()) return [];
  return value.split(',').map((part) => {
    const at = part.indexOf('=');
    const [endpoint, region = endpoint] = part.slice(0, Math.max(0, at)).trim().split('@');
    const url = part.slice(at + 1).trim();
    if (at <= 0 || !endpoint || !region || !isHttpUrl(url)) {
      throw new InvalidArgumentError({
        argument: variable,
        message: `Expected \`${variable}\` to be a comma-separated list of \`name=url\` or \`name@region=url\` (e.g. \`eu-west=https://eu.example/v1\`), got \`${maskCredentials(part.trim())}\``,
      });
    }
    return { endpoint, region, url };
  });
}
