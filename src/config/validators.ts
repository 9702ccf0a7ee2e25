import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parseHostPort } from './units';

/** `host:port` listener or dial address. */
export function IsHostPort(options?: ValidationOptions): PropertyDecorator {
  return (target, property) => {
    registerDecorator({
      name: 'isHostPort',
      target: target.constructor,
      propertyName: String(property),
      options: { message: 'expected host:port, e.g. 127.0.0.1:9300', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseHostPort(value) !== undefined,
      },
    });
  };
}

/** An absolute http(s) URL; with `originOnly`, no path, query or fragment either. */
export function IsHttpUrl(originOnly: boolean, options?: ValidationOptions): PropertyDecorator {
  return (target, property) => {
    registerDecorator({
      name: 'isHttpUrl',
      target: target.constructor,
      propertyName: String(property),
      options: {
        message: originOnly
          ? 'expected an absolute http(s) URL without path, query or fragment, e.g. https://wopi.example.com'
          : 'expected an absolute http(s) URL, e.g. https://office.example.com',
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') {
            return false;
          }
          let url: URL;
          try {
            url = new URL(value);
          } catch {
            return false;
          }
          if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            return false;
          }
          return (
            !originOnly ||
            ((url.pathname === '/' || url.pathname === '') && !url.search && !url.hash)
          );
        },
      },
    });
  };
}
